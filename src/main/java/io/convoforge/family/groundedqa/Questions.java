package io.convoforge.family.groundedqa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Template questions for {@link OfflineQaExtractor}. The sentence is read as an optional lead
 * phrase ("On weekends,"), a subject, a verb and the rest; what the sentence holds picks the
 * template: a price with a cost verb gives "How much does X cost?", a duration "How long..." (or
 * "How quickly" with "within"), a date or time with a time verb "When...", a modal "Can / Do ...
 * have to...?", "is + participle" a yes/no question, an object verb "What does X include?".
 * Customer's point of view: "we/our" become "you/your" and "you/your" become "I/my". A sentence
 * that does not parse gets a question about the heading ("What should I know about returns?").
 */
final class Questions {
  private static final Set<String> MODALS = Set.of("can", "cannot", "can't", "may", "must",
      "will", "should", "might", "could", "won't");
  private static final Set<String> BE = Set.of("is", "are", "was", "were");
  private static final Set<String> ADVERBS = Set.of("not", "also", "always", "never", "only",
      "usually", "normally", "currently", "still", "generally", "typically", "then", "now");
  private static final Set<String> VERBS = Set.of("accept", "add", "allow", "answer", "apply",
      "arrive", "begin", "book", "borrow", "charge", "close", "come", "contain", "cost", "cover",
      "deliver", "delete", "download", "end", "expire", "get", "give", "happen", "have", "help",
      "hold", "include", "install", "keep", "last", "launch", "lend", "need", "offer", "open",
      "pay", "provide", "reach", "receive", "remain", "renew", "reopen", "reply", "require",
      "retry", "return", "rise", "run", "save", "sell", "send", "serve", "ship", "start", "stay",
      "support", "take", "wait", "work", "follow", "change", "process", "protect", "store",
      "use", "refund", "replace", "repair", "waive", "print", "exchange", "finish",
      "cancel", "expect", "earn", "unlock", "sync", "let");
  private static final Map<String, String> IRREGULAR = Map.ofEntries(
      Map.entry("ran", "run"), Map.entry("took", "take"), Map.entry("rose", "rise"),
      Map.entry("began", "begin"), Map.entry("came", "come"), Map.entry("got", "get"),
      Map.entry("gave", "give"), Map.entry("kept", "keep"), Map.entry("held", "hold"),
      Map.entry("sent", "send"), Map.entry("paid", "pay"), Map.entry("sold", "sell"),
      Map.entry("has", "have"), Map.entry("had", "have"), Map.entry("does", "do"),
      Map.entry("lent", "lend"));
  private static final Set<String> COST_VERBS = Set.of("cost", "pay", "charge");
  private static final Set<String> SPAN_VERBS = Set.of("take", "last");
  private static final Set<String> STAY_VERBS = Set.of("wait", "stay", "remain", "run", "keep");
  private static final Set<String> TIME_VERBS = Set.of("open", "close", "start", "end", "begin",
      "launch", "ship", "arrive", "happen", "run", "take", "reopen", "expire", "renew", "change",
      "finish");
  private static final Set<String> OBJECT_VERBS = Set.of("include", "add", "offer", "support",
      "cover", "accept", "get", "give", "need", "require", "come", "have", "provide", "allow",
      "keep", "contain", "send", "receive", "save", "earn", "unlock", "protect", "follow");
  private static final Set<String> LEAD_WORDS = Set.of("if", "when", "once", "unless", "on",
      "from", "under", "for", "in", "during", "after", "before", "until", "within", "without",
      "at", "by", "since", "starting", "between", "outside", "with");
  private static final Set<String> SUBJECT_BEFORE = Set.of("when", "if", "once", "unless",
      "before", "after", "until", "and", "or", "so", "that", "because", "while", "where");
  private static final Set<String> CONDITIONS = Set.of("if", "when", "once", "unless");
  private static final Set<String> DETERMINERS = Set.of("the", "a", "an", "all", "each", "every",
      "any", "most", "some", "our", "your", "their", "this", "these", "those", "no", "both");
  private static final Set<String> TRAILING = Set.of("in", "within", "for", "at", "from", "on",
      "up", "to", "about", "after", "by", "of", "the", "a", "an", "than", "least", "only",
      "every", "around", "approximately", "roughly", "over", "under", "until", "before", "and",
      "or", "per", "just", "most", "more");
  private static final Set<String> CUTS = Set.of("and", "but", "so", "which", "while",
      "whereas", "—", "-", "–");
  private static final Set<String> NEGATIONS = Set.of("not", "never");
  private static final Set<String> PARTICIPLES = Set.of("open", "available", "closed", "run",
      "held", "sent", "kept", "lent", "shut");
  private static final Set<String> STATES = Set.of("free", "valid", "refundable", "allowed",
      "permitted");
  private static final Set<String> DISCOUNT_VERBS = Set.of("get", "give", "save", "offer",
      "earn");
  private static final Set<String> FACT_STARTS = Set.of("spring", "summer", "autumn", "fall",
      "winter", "noon", "midnight", "one", "two", "three", "four", "five", "six", "seven", "ten",
      "a", "an");
  private static final Set<String> CALENDAR_PREFIXES = Set.of("Jan", "Feb", "Mar", "Apr", "May",
      "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
      "Sun");
  private static final Set<String> PRONOUN_SUBJECTS = Set.of("It", "They", "This", "These",
      "Those", "That");
  private static final Pattern DURATION = Pattern.compile("(?i)\\b(?:\\d+(?:\\.\\d+)?"
      + "(?:\\s*(?:to|-|\u2013)\\s*\\d+)?[\\s-]+|(?:one|two|three|four|five|six|seven|eight"
      + "|nine|ten|twelve|fifteen|twenty|thirty|a|an)\\s+)(?:business\\s+|working\\s+"
      + "|calendar\\s+|full\\s+)?(?:minutes?|hours?|days?|weeks?|months?|years?)\\b");
  private static final Pattern MONEY = Pattern.compile("[$\u20ac\u00a3]\\s?\\d|\\d+\\s*cents\\b");
  private static final Pattern TIME = Pattern.compile(
      "(?i)\\b\\d{1,2}(?::\\d{2})?\\s?[ap]\\.?m\\b|\\b\\d{1,2}:\\d{2}\\b|\\bnoon\\b");
  private static final String[] GENERIC = {"What should I know about %s?",
      "Can you tell me about %s?", "What do I need to know about %s?",
      "What's important to know about %s?", "What are the details on %s?"};

  private Questions() {}

  static String ask(OfflineQaExtractor.Unit u, Chunk chunk, SplittableRandom r) {
    String q = u.row() != null ? tableQuestion(u) : proseQuestion(u.answer(), chunk.text(), r);
    if (q == null) {
      String topic = Text.topicOf(chunk.heading(), chunk.text());
      q = String.format(GENERIC[r.nextInt(GENERIC.length)], topic);
    }
    return Text.upperFirst(Text.squash(q).replace(" ?", "?"));
  }

  private static String tableQuestion(OfflineQaExtractor.Unit u) {
    String subject = Text.lowerCommon(Text.inline(u.row()[0]));
    if (u.header() == null || u.header().length < 2 || u.row().length < 2) {
      return "What are the details for " + subject + "?";
    }
    String h = Text.lowerFirst(Text.inline(u.header()[1]));
    String v = u.row()[1];
    if (DURATION.matcher(v).find()) {
      return "How long is the " + h + " for " + subject + "?";
    }
    if (MONEY.matcher(v).find()) {
      return "How much is the " + h + " for " + subject + "?";
    }
    if (OfflineQaExtractor.plural(h)) {
      return "How many " + h + " are there for " + subject + "?";
    }
    return "What is the " + h + " for " + subject + "?";
  }

  /** A question for one answer sentence, or null when the sentence does not parse. */
  static String proseQuestion(String answer, String context, SplittableRandom r) {
    String s = answer.endsWith(".") || answer.endsWith("!") ? answer.substring(0, answer.length()
        - 1) : answer;
    String[] words = s.split(" ");
    String lead = "";
    boolean condition = false;
    String first = words[0].toLowerCase(Locale.ROOT);
    if (LEAD_WORDS.contains(first)) {
      int comma = -1;
      for (int i = 0; i < Math.min(words.length, 12); i++) {
        if (words[i].endsWith(",")) {
          comma = i;
          break;
        }
      }
      if (comma < 0 || comma == words.length - 1) {
        return null;
      }
      lead = swapPronouns(String.join(" ", Arrays.copyOfRange(words, 0, comma + 1)));
      lead = Text.lowerFirst(lead.substring(0, lead.length() - 1));
      condition = CONDITIONS.contains(first);
      words = Arrays.copyOfRange(words, comma + 1, words.length);
    }
    if (condition) {
      return "What happens " + lead + "?";
    }
    String q = mainQuestion(words, s, context, r);
    if (q == null) {
      return null;
    }
    return lead.isEmpty() ? q + "?" : q + " " + lead + "?";
  }

  private static String mainQuestion(String[] w, String sentence, String context,
      SplittableRandom r) {
    int v = -1;
    int adverb = -1;
    for (int i = 1; i < Math.min(w.length, 9); i++) {
      String t = bare(w[i]);
      if (ADVERBS.contains(t) && adverb < 0) {
        adverb = i;
        continue;
      }
      boolean adjective = DETERMINERS.contains(bare(w[i - 1]));
      if (isVerb(t) && !adjective && !(i + 1 < w.length && isVerb(bare(w[i + 1]))
          && !BE.contains(t) && !MODALS.contains(t))) {
        v = i;
        break;
      }
      adverb = -1;
    }
    if (v < 0) {
      return null;
    }
    boolean negative = adverb > 0 && NEGATIONS.contains(bare(w[adverb]));
    String subjectRaw = String.join(" ", Arrays.copyOfRange(w, 0, adverb > 0 ? adverb : v));
    if (subjectRaw.contains(",") || LEAD_WORDS.contains(bare(w[0]))) {
      return null;
    }
    String subject = subject(subjectRaw, context);
    boolean plural = plural(subject);
    String verb = bare(w[v]);
    List<String> rest = clause(w, v + 1);
    boolean digits = hasDigit(sentence);
    boolean money = digits && MONEY.matcher(sentence).find();
    boolean percent = sentence.indexOf('%') >= 0 || sentence.contains("percent");
    boolean duration = mayHoldDuration(sentence) && DURATION.matcher(sentence).find();
    boolean when = digits && (TIME.matcher(sentence).find()
        || !DateMentions.scan(sentence).isEmpty());
    if (MODALS.contains(verb)) {
      List<String> after = dropAdverbs(rest);
      if (after.isEmpty()) {
        return null;
      }
      String next = bare(after.get(0));
      String tail = String.join(" ", after);
      switch (verb) {
        case "must":
          return (plural ? "Do " : "Does ") + subject + " have to " + tail;
        case "should":
          return "Should " + subject + " " + tail;
        case "will":
        case "won't":
          if (money && COST_VERBS.contains(next)) {
            return "How much will " + subject + " " + next;
          }
          if (when && next.equals("be") && after.size() > 1) {
            return "When will " + subject + " be " + after.get(1);
          }
          if (when && TIME_VERBS.contains(next)) {
            return "When will " + subject + " " + next;
          }
          return "Will " + subject + " " + tail;
        default:
          return "Can " + subject + " " + tail;
      }
    }
    if (BE.contains(verb)) {
      List<String> after = dropAdverbs(rest);
      if (after.isEmpty()) {
        return null;
      }
      String be = subject.equals("I") ? (verb.startsWith("w") ? "was" : "am") : verb;
      String x = bare(after.get(0));
      String beCap = Text.upperFirst(be);
      boolean negated = negative || rest.stream().anyMatch(t -> NEGATIONS.contains(bare(t)));
      boolean participle = x.endsWith("ed") || x.endsWith("en") || PARTICIPLES.contains(x);
      boolean timed = participle && !negated;
      boolean state = participle || STATES.contains(x);
      if (timed && duration) {
        return (sentence.contains("within") ? "How quickly " : "How long ") + be + " " + subject
            + " " + x;
      }
      if (timed && when) {
        return "When " + be + " " + subject + " " + x;
      }
      if (timed && (money || percent)) {
        return "How much " + be + " " + subject + " " + x;
      }
      if (state) {
        return beCap + " " + subject + " " + String.join(" ", after);
      }
      if (money && !x.startsWith("$")) {
        return null;
      }
      return "What " + be + " " + subject;
    }
    String base = base(verb);
    String tense = past(verb) ? "did" : verb.equals(base) ? "do" : "does";
    if (subject.equals("I") && tense.equals("does")) {
      tense = "do";
    }
    String beforeFact = String.join(" ", beforeFact(rest));
    boolean with = !rest.isEmpty() && bare(rest.get(0)).equals("with");
    if (negative) {
      return Text.upperFirst(tense) + " " + subject + " " + base + " " + String.join(" ", rest);
    }
    if (money && COST_VERBS.contains(base) && !with) {
      if (base.equals("cost") && !plural && r.nextBoolean()) {
        return r.nextBoolean() ? "What is the price of " + subject : "How much is " + subject;
      }
      return "How much " + tense + " " + subject + " " + base;
    }
    if (percent && DISCOUNT_VERBS.contains(base)) {
      return "What discount " + tense + " " + subject + " " + base;
    }
    if (with || OBJECT_VERBS.contains(base)) {
      return "What " + tense + " " + subject + " " + base + (with ? " with" : "");
    }
    if (duration && SPAN_VERBS.contains(base)) {
      return "How long " + tense + " " + subject + " " + base;
    }
    if (duration && STAY_VERBS.contains(base)) {
      return "How long " + tense + " " + subject + " " + base + " " + beforeFact;
    }
    if (when && TIME_VERBS.contains(base)) {
      if (tense.equals("did") && !IRREGULAR.containsKey(verb)) {
        return "When was " + subject + " " + verb;
      }
      return "When " + tense + " " + subject + " " + base + " " + particle(beforeFact);
    }
    if (duration && !tense.equals("did")) {
      return sentence.contains("within")
          ? "How quickly " + tense + " " + subject + " " + base + " " + beforeFact
          : "How long does it take " + object(subject) + " to " + base + " " + beforeFact;
    }
    return null;
  }

  private static boolean mayHoldDuration(String s) {
    return s.contains("minute") || s.contains("hour") || s.contains("day") || s.contains("week")
        || s.contains("month") || s.contains("year");
  }

  private static boolean hasDigit(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isDigit(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** Words after the verb up to the end of its clause (a comma, ";" or a coordinating word). */
  private static List<String> clause(String[] w, int from) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < w.length; i++) {
      String t = w[i];
      if (CUTS.contains(t.toLowerCase(Locale.ROOT)) && !out.isEmpty()) {
        break;
      }
      boolean stop = t.endsWith(",") || t.endsWith(";") || t.endsWith(":");
      out.add(swapPronouns(stop ? t.substring(0, t.length() - 1) : t));
      if (stop) {
        break;
      }
    }
    return out;
  }

  /** The clause's words before its first number, price, date or time, trailing "in", "at"... cut. */
  private static List<String> beforeFact(List<String> rest) {
    List<String> out = new ArrayList<>();
    for (String t : rest) {
      char c = t.isEmpty() ? ' ' : t.charAt(0);
      if (Character.isDigit(c) || "$\u20ac\u00a3".indexOf(c) >= 0 || isMonthOrDay(t)
          || FACT_STARTS.contains(bare(t))) {
        break;
      }
      out.add(t);
    }
    while (!out.isEmpty() && TRAILING.contains(bare(out.get(out.size() - 1)))) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  private static String particle(String beforeFact) {
    String b = beforeFact.strip();
    return b.equals("place") || b.equals("back") || b.equals("up") || b.equals("out") ? b : "";
  }

  private static boolean isMonthOrDay(String t) {
    return t.length() >= 3 && Character.isUpperCase(t.charAt(0))
        && CALENDAR_PREFIXES.contains(t.substring(0, 3));
  }

  private static List<String> dropAdverbs(List<String> rest) {
    List<String> out = new ArrayList<>(rest);
    while (!out.isEmpty() && ADVERBS.contains(bare(out.get(0)))) {
      out.remove(0);
    }
    out.removeIf(t -> bare(t).equals("not"));
    return out;
  }

  private static boolean isVerb(String t) {
    return BE.contains(t) || MODALS.contains(t) || VERBS.contains(base(t));
  }

  static String base(String t) {
    if (IRREGULAR.containsKey(t)) {
      return IRREGULAR.get(t);
    }
    if (VERBS.contains(t)) {
      return t;
    }
    for (String cand : new String[] {strip(t, "ies", "y"), strip(t, "es", ""), strip(t, "s", ""),
        strip(t, "ed", ""), strip(t, "d", ""), strip(t, "ied", "y"),
        t.length() > 4 && t.endsWith("ed") ? t.substring(0, t.length() - 3) : ""}) {
      if (!cand.isEmpty() && VERBS.contains(cand)) {
        return cand;
      }
    }
    return "";
  }

  private static boolean past(String t) {
    return (IRREGULAR.containsKey(t) && !t.equals("has") && !t.equals("does"))
        || (t.endsWith("ed") && !VERBS.contains(t));
  }

  private static String strip(String t, String suffix, String add) {
    return t.length() > suffix.length() + 1 && t.endsWith(suffix)
        ? t.substring(0, t.length() - suffix.length()) + add : "";
  }

  private static String bare(String t) {
    int e = t.length();
    while (e > 0 && ",.;:!?)\"".indexOf(t.charAt(e - 1)) >= 0) {
      e--;
    }
    return t.substring(0, e).toLowerCase(Locale.ROOT);
  }

  /** The subject as it reads mid-question: pronouns swapped, a common first word lower-cased. */
  private static String subject(String raw, String context) {
    String swapped = swapPronouns(raw);
    if (!swapped.equals(raw) && swapped.indexOf(' ') < 0) {
      return swapped;
    }
    if (PRONOUN_SUBJECTS.contains(swapped)) {
      return swapped.toLowerCase(Locale.ROOT);
    }
    String[] words = swapped.split(" ");
    String first = words[0];
    String lower = first.toLowerCase(Locale.ROOT);
    boolean common = DETERMINERS.contains(lower) || Text.containsWord(context, lower)
        || ((words.length > 1 || lower.endsWith("s") || lower.endsWith("ing")
            || lower.endsWith("ed")) && !Text.properIn(context, first));
    words[0] = common ? Text.lowerFirst(first) : first;
    return String.join(" ", words);
  }

  private static boolean plural(String subject) {
    String last = bare(subject.substring(subject.lastIndexOf(' ') + 1));
    return subject.equals("you") || subject.equals("I") || subject.equals("they")
        || (last.endsWith("s") && !last.endsWith("ss") && !last.endsWith("us")
            && !subject.contains(" of ") && !subject.contains(" for "))
        || subject.contains(" and ");
  }

  private static String object(String subject) {
    return switch (subject) {
      case "I" -> "me";
      case "they" -> "them";
      case "we" -> "us";
      default -> subject;
    };
  }

  /** The company's "we/our" becomes the customer's "you/your", and "you/your" "I/my". */
  static String swapPronouns(String s) {
    String[] words = s.split(" ");
    for (int i = 0; i < words.length; i++) {
      String w = words[i];
      String b = bare(w);
      if (b.length() > 1 && w.startsWith(b.toUpperCase(Locale.ROOT))) {
        continue;
      }
      String to = switch (b) {
        case "we" -> "you";
        case "our" -> "your";
        case "ours" -> "yours";
        case "us" -> "you";
        case "you" -> i == 0 || SUBJECT_BEFORE.contains(bare(words[i - 1])) ? "I" : "me";
        case "your" -> "my";
        case "yours" -> "mine";
        default -> null;
      };
      if (to != null) {
        String suffix = w.substring(b.length());
        words[i] = (Character.isUpperCase(w.charAt(0)) && i > 0 ? Text.upperFirst(to) : to)
            + suffix;
      }
    }
    return String.join(" ", words);
  }
}
