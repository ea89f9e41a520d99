package io.convoforge.family.groundedqa;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Small text helpers shared by this family: whitespace, sentences, words. No state. */
final class Text {
  private static final Set<String> ABBREVIATIONS = Set.of(
      "mr", "mrs", "ms", "dr", "prof", "st", "no", "nr", "vs", "approx", "inc", "ltd", "co", "corp",
      "e.g", "i.e", "eg", "ie", "a.m", "p.m", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
      "sep", "sept", "oct", "nov", "dec", "fig", "min", "max", "incl", "excl", "ca", "cf", "dept",
      "est", "tel", "ext", "mt", "ft", "u.s", "u.k", "e.u");

  static final Set<String> STOPWORDS = Set.of(
      "a", "an", "the", "and", "or", "but", "if", "then", "than", "of", "to", "in", "on", "at",
      "by", "for", "with", "from", "about", "as", "into", "over", "after", "before", "under",
      "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "done",
      "have", "has", "had", "will", "would", "can", "could", "shall", "should", "may", "might",
      "must", "not", "no", "yes", "it", "its", "this", "that", "these", "those", "there", "here",
      "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "much", "many",
      "long", "any", "all", "each", "every", "some", "our", "your", "their", "my", "me", "we",
      "you", "they", "he", "she", "him", "her", "them", "us", "i", "so", "also", "just", "only",
      "very", "more", "most", "less", "per", "via", "up", "out", "get", "got", "need", "needs",
      "know", "tell", "please", "thanks", "thank", "hi", "hello", "one", "thing", "things",
      "anything", "something", "else", "other", "own", "same", "such", "both", "either",
      "neither", "within", "without", "between", "during", "until", "while", "again", "now",
      "yet", "still", "too", "s", "t", "don", "doesn", "isn", "aren", "can't", "won", "ll", "re",
      "ve", "d", "m", "let", "like", "want", "wanted", "wondering", "question", "quick");

  private static final Pattern LINK = Pattern.compile("!?\\[([^\\]]*)]\\([^)]*\\)");
  private static final Pattern EMPHASIS = Pattern.compile("\\*\\*|__|`|(?<![\\p{L}\\p{N}])\\*"
      + "(?=\\S)|(?<=\\S)\\*(?![\\p{L}\\p{N}])");

  private Text() {}

  /** Collapses every whitespace run to one space and trims. */
  static String squash(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean space = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || c == '\u00a0') {
        space = sb.length() > 0;
      } else {
        if (space) {
          sb.append(' ');
          space = false;
        }
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Sentence spans {@code [start, end)} of one paragraph: a sentence ends at {@code . ! ?} (after
   * any closing quotes or brackets) followed by whitespace and a capital, digit or opening mark,
   * unless the word before the period is a known abbreviation or a single initial. Each span is
   * trimmed; together they cover every non-space character of the input.
   */
  static List<int[]> sentenceSpans(String s) {
    List<int[]> out = new ArrayList<>();
    int start = skipSpace(s, 0);
    int n = s.length();
    int i = start;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '.' || c == '!' || c == '?' || c == '\u2026') {
        int end = i + 1;
        while (end < n && ".!?\"'\u201d\u2019)]*_".indexOf(s.charAt(end)) >= 0) {
          end++;
        }
        if (end < n && !Character.isWhitespace(s.charAt(end))) {
          i = end;
          continue;
        }
        int next = skipSpace(s, end);
        if (next >= n) {
          break;
        }
        char nc = s.charAt(next);
        boolean opener = Character.isUpperCase(nc) || Character.isDigit(nc)
            || "\"'\u201c\u2018([*_$\u20ac\u00a3#>-".indexOf(nc) >= 0;
        if (opener && !(c == '.' && abbreviationBefore(s, i))) {
          out.add(new int[] {start, trimEnd(s, start, end)});
          start = next;
          i = next;
          continue;
        }
        i = end;
        continue;
      }
      i++;
    }
    if (start < n) {
      int end = trimEnd(s, start, n);
      if (end > start) {
        out.add(new int[] {start, end});
      }
    }
    return out;
  }

  static List<String> sentences(String s) {
    List<String> out = new ArrayList<>();
    for (int[] span : sentenceSpans(s)) {
      out.add(s.substring(span[0], span[1]));
    }
    return out;
  }

  private static boolean abbreviationBefore(String s, int dot) {
    int b = dot;
    while (b > 0 && (Character.isLetter(s.charAt(b - 1)) || s.charAt(b - 1) == '.')) {
      b--;
    }
    String word = s.substring(b, dot);
    if (word.isEmpty()) {
      return false;
    }
    if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) {
      return true;
    }
    return ABBREVIATIONS.contains(word.toLowerCase(Locale.ROOT));
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int trimEnd(String s, int start, int end) {
    while (end > start && Character.isWhitespace(s.charAt(end - 1))) {
      end--;
    }
    return end;
  }

  /** Markdown inline syntax removed: emphasis, code ticks, links (their text kept), list marker. */
  static String plain(String md) {
    int marker = listMarker(md);
    String s = marker >= 0 ? md.substring(marker) : md;
    if (s.startsWith("> ")) {
      s = s.substring(2);
    }
    return inline(s);
  }

  /** Emphasis and code ticks removed, links replaced by their text, whitespace squashed. */
  static String inline(String md) {
    String s = md;
    if (s.indexOf('[') >= 0) {
      s = LINK.matcher(s).replaceAll("$1");
    }
    if (s.indexOf('*') >= 0 || s.indexOf('_') >= 0 || s.indexOf('`') >= 0) {
      s = EMPHASIS.matcher(s).replaceAll("");
    }
    return squash(s);
  }

  /** The list marker ({@code - }, {@code 1. }) a line starts with, or -1; else its length. */
  static int listMarker(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    if (i >= line.length()) {
      return -1;
    }
    char c = line.charAt(i);
    if ((c == '-' || c == '*' || c == '+') && i + 1 < line.length() && line.charAt(i + 1) == ' ') {
      return i + 2;
    }
    int d = i;
    while (d < line.length() && d - i < 3 && Character.isDigit(line.charAt(d))) {
      d++;
    }
    if (d > i && d + 1 < line.length() && (line.charAt(d) == '.' || line.charAt(d) == ')')
        && line.charAt(d + 1) == ' ') {
      return d + 2;
    }
    return -1;
  }

  static boolean isTableRow(String line) {
    String t = line.strip();
    return t.startsWith("|") && t.length() > 1;
  }

  static boolean isTableSeparator(String line) {
    String t = line.strip();
    if (!t.startsWith("|") || !t.contains("-")) {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      if ("|-: ".indexOf(t.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Cells of a table row, trimmed, without the outer pipes. */
  static List<String> cells(String row) {
    String t = row.strip();
    if (t.startsWith("|")) {
      t = t.substring(1);
    }
    if (t.endsWith("|")) {
      t = t.substring(0, t.length() - 1);
    }
    List<String> out = new ArrayList<>();
    for (String c : t.split("\\|", -1)) {
      out.add(c.strip());
    }
    return out;
  }

  /**
   * Lower-case words ({@code [\p{L}\p{N}]+}, apostrophes kept inside), stopwords and words under
   * three characters dropped, a plural "s" stripped from words over four letters so "refunds"
   * meets "refund".
   */
  static Set<String> contentWords(String s) {
    Set<String> out = new LinkedHashSet<>();
    int n = s.length();
    int i = 0;
    while (i < n) {
      if (!Character.isLetterOrDigit(s.charAt(i))) {
        i++;
        continue;
      }
      int b = i;
      while (i < n && (Character.isLetterOrDigit(s.charAt(i))
          || ((s.charAt(i) == '\'' || s.charAt(i) == '\u2019') && i + 1 < n
              && Character.isLetter(s.charAt(i + 1))))) {
        i++;
      }
      String w = s.substring(b, i).toLowerCase(Locale.ROOT);
      if (w.length() >= 3 && !STOPWORDS.contains(w) && !Character.isDigit(w.charAt(0))) {
        out.add(stem(w));
      }
    }
    return out;
  }

  static String stem(String w) {
    if (w.length() > 4 && w.endsWith("ies")) {
      return w.substring(0, w.length() - 3) + "y";
    }
    if (w.length() > 4 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")) {
      return w.substring(0, w.length() - 1);
    }
    return w;
  }

  /** Tier and edition words that name products even at a sentence start ("Pro plan"). */
  private static final Set<String> TIER_WORDS = Set.of("Pro", "Plus", "Premium", "Basic", "Max",
      "Mini", "Lite", "Ultra", "Gold", "Silver", "Platinum", "Business", "Enterprise", "Starter",
      "Team");

  /** Headings that say little on their own: their section is the better topic. */
  private static final Set<String> VAGUE = Set.of("past", "upcoming", "future", "current",
      "recent", "latest", "new", "older", "archive", "overview", "general", "other", "others",
      "misc", "miscellaneous", "details", "notes", "introduction", "intro", "summary", "more",
      "faq", "faqs", "basics", "background", "updates", "misc.", "extras", "appendix");

  private static final int MAX_TOPIC = 80;

  /**
   * The topic of a heading path: its last part, or the section above it when the last part is a
   * vague word such as "Past", "Overview" or "Other" ("Events > Past" is about events); over
   * {@value #MAX_TOPIC} characters, its first eight words.
   */
  static String topic(String heading) {
    String t = topicPart(heading);
    if (t.length() <= MAX_TOPIC) {
      return t;
    }
    String[] words = squash(t).split(" ");
    return String.join(" ", Arrays.copyOf(words, Math.min(words.length, 8)));
  }

  private static String topicPart(String heading) {
    int last = heading.lastIndexOf(" > ");
    if (last < 0) {
      return heading;
    }
    String leaf = heading.substring(last + 3);
    if (VAGUE.contains(leaf.strip().toLowerCase(Locale.ROOT))) {
      int before = heading.lastIndexOf(" > ", last - 1);
      return before < 0 ? heading.substring(0, last) : heading.substring(before + 3, last);
    }
    return leaf;
  }

  /**
   * A heading as it reads inside a sentence: capitalised words are lower-cased unless they look
   * like names, i.e. appear capitalised mid-sentence in {@code context}, are acronyms or mixed
   * case ("Wi-Fi"), or are product tier words ("Pro"). "Plans and Prices" becomes "plans and
   * prices", "Hearthly Customer Facts" "Hearthly customer facts".
   */
  static String topicPhrase(String heading, String context) {
    String[] words = squash(heading).split(" ");
    StringBuilder sb = new StringBuilder(heading.length());
    for (int k = 0; k < words.length; k++) {
      String w = words[k];
      if (k > 0) {
        sb.append(' ');
      }
      if (w.length() > 1 && Character.isUpperCase(w.charAt(0)) && isLowerTail(w)
          && !properIn(context, w)) {
        sb.append(w.toLowerCase(Locale.ROOT));
      } else {
        sb.append(w);
      }
    }
    return sb.toString();
  }

  /**
   * The topic of a heading path as it reads mid-sentence: {@link #topicPhrase} of {@link #topic},
   * except that a heading without parents (a document title such as "Harbourview Public
   * Library") keeps its case, titles being names more often than not.
   */
  static String topicOf(String heading, String context) {
    String topic = topic(heading);
    return heading.contains(" > ") ? topicPhrase(topic, context) : topic;
  }

  /** Whether {@code word} looks like a name: a tier word or capitalised mid-sentence in context. */
  static boolean properIn(String context, String word) {
    if (TIER_WORDS.contains(word)) {
      return true;
    }
    int from = 0;
    while (true) {
      int at = context.indexOf(word, from);
      if (at < 0) {
        return false;
      }
      int end = at + word.length();
      boolean whole = (at == 0 || !Character.isLetterOrDigit(context.charAt(at - 1)))
          && (end >= context.length() || !Character.isLetterOrDigit(context.charAt(end)));
      if (whole && !Facts.sentenceStart(context, at)) {
        return true;
      }
      from = at + 1;
    }
  }

  private static boolean isLowerTail(String w) {
    for (int i = 1; i < w.length(); i++) {
      if (Character.isUpperCase(w.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code word} occurs in {@code s} as written, bounded by non-letters. */
  static boolean containsWord(String s, String word) {
    int from = 0;
    while (true) {
      int at = s.indexOf(word, from);
      if (at < 0) {
        return false;
      }
      int end = at + word.length();
      boolean left = at == 0 || !Character.isLetterOrDigit(s.charAt(at - 1));
      boolean right = end >= s.length() || !Character.isLetterOrDigit(s.charAt(end));
      if (left && right) {
        return true;
      }
      from = at + 1;
    }
  }

  static String upperFirst(String s) {
    if (s.isEmpty() || !Character.isLowerCase(s.charAt(0))) {
      return s;
    }
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /**
   * The first letter lower-cased, unless the first word is "I", an acronym or otherwise has a
   * capital beyond its first letter.
   */
  static String lowerFirst(String s) {
    if (s.isEmpty() || !Character.isUpperCase(s.charAt(0))) {
      return s;
    }
    int end = 0;
    while (end < s.length() && Character.isLetterOrDigit(s.charAt(end))) {
      end++;
    }
    String first = s.substring(0, end);
    if (first.equals("I") || (first.length() > 1 && !isLowerTail(first))) {
      return s;
    }
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  /** {@link #lowerFirst}, except for a product tier word ("Pro" stays "Pro"). */
  static String lowerCommon(String s) {
    int end = 0;
    while (end < s.length() && Character.isLetterOrDigit(s.charAt(end))) {
      end++;
    }
    return TIER_WORDS.contains(s.substring(0, end)) ? s : lowerFirst(s);
  }

  static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
