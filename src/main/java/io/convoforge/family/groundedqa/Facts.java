package io.convoforge.family.groundedqa;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checkable facts of a text, for {@link Grounding} and {@link RubricRules}. A statement's
 * <em>claims</em> are its numbers (money and percentages included), dates, times of day, number
 * words before a unit ("three business days") and capitalised words not at a sentence start (names
 * such as "Pro", "Berlin", "CET"). A passage's <em>keys</em> are everything a claim may be matched
 * against; a claim is grounded when one of its keys is among the passage's keys, or its words occur
 * in the passage as written (case and whitespace runs aside).
 *
 * <p>Normalisation: {@code 1,200} = {@code 1200}; {@code 49.00} = {@code 49} (currency signs are
 * not compared, so {@code $49} = {@code €49}); {@code 1.200} is one point two; {@code 9am} = {@code
 * 9:00} = {@code 09:00}, and an hour without am/pm may be either half of the day ({@code 5:00}
 * matches {@code 5pm} and {@code 17:00}); dates compare at their precision, a passage's date also
 * supplying its month and year ("March 2027" is grounded by "14 March 2027", not the reverse).
 * Number words are claims only before a unit (so "one more thing" claims nothing), but any number
 * word in a passage supplies its value.
 */
final class Facts {
  /** One claim: kind (number, money, percent, date, time, name), surface text, match keys. */
  record Fact(String kind, String text, List<String> keys) {}

  private static final Pattern NUMBER = Pattern.compile(
      "(?<![\\p{N}.])(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?!\\d)");
  private static final Pattern TIME = Pattern.compile(
      "(?i)(?<![\\d:.,])(\\d{1,2})(?::([0-5]\\d))?\\s?([ap])(?:\\.\\s?m\\.|m\\b)"
          + "|(?<![\\d:.,])([01]?\\d|2[0-3]):([0-5]\\d)(?![\\d:])|\\b(noon|midday|midnight)\\b");
  private static final Map<String, Integer> NUMBER_WORDS = Map.ofEntries(
      Map.entry("zero", 0), Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3),
      Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7),
      Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10),
      Map.entry("eleven", 11), Map.entry("twelve", 12), Map.entry("fifteen", 15),
      Map.entry("twenty", 20), Map.entry("thirty", 30), Map.entry("forty", 40),
      Map.entry("fifty", 50), Map.entry("sixty", 60), Map.entry("ninety", 90),
      Map.entry("hundred", 100), Map.entry("once", 1), Map.entry("twice", 2),
      Map.entry("single", 1), Map.entry("double", 2), Map.entry("dozen", 12));
  private static final Pattern NUMBER_WORD_UNIT = Pattern.compile(
      "(?i)\\b(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen"
          + "|twenty|thirty|forty|fifty|sixty|ninety|hundred)\\s+(?:(?:business|working"
          + "|calendar|full|more|extra|additional|free)\\s+)?(?:days?|weeks?|months?|years?"
          + "|hours?|minutes?|seconds?|users?|seats?|devices?|times|percent|people|items?"
          + "|licen[cs]es?|rooms?|sensors?|thermostats?|accounts?|members?|tickets?|orders?"
          + "|nights?|sessions?|attempts?|payments?|instalments?|installments?)\\b");
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  private static final Pattern CAPITALISED = Pattern.compile(
      "(?<![\\p{L}\\p{N}'\u2019])\\p{Lu}[\\p{L}\\p{N}]*");
  private static final Set<String> NOT_NAMES = Set.of("I", "OK", "Ok");

  private Facts() {}

  /** The claims {@code text} makes, in order. */
  static List<Fact> claims(String text) {
    List<Fact> out = new ArrayList<>();
    boolean[] taken = new boolean[text.length()];
    for (DateMentions.Found d : DateMentions.scan(text)) {
      out.add(new Fact("date", text.substring(d.start(), d.end()), dateClaimKeys(d)));
      mark(taken, d.start(), d.end());
    }
    Matcher t = TIME.matcher(text);
    while (t.find()) {
      if (!free(taken, t.start(), t.end())) {
        continue;
      }
      out.add(new Fact("time", t.group(), timeKeys(t)));
      mark(taken, t.start(), t.end());
    }
    Matcher n = NUMBER.matcher(text);
    while (n.find()) {
      if (!free(taken, n.start(), n.end())) {
        continue;
      }
      out.add(new Fact(numberKind(text, n.start(), n.end()), n.group(),
          List.of("N:" + normalise(n.group()))));
      mark(taken, n.start(), n.end());
    }
    Matcher w = NUMBER_WORD_UNIT.matcher(text);
    while (w.find()) {
      if (free(taken, w.start(), w.end())) {
        out.add(new Fact("number", w.group(),
            List.of("N:" + NUMBER_WORDS.get(w.group(1).toLowerCase(Locale.ROOT)))));
        mark(taken, w.start(), w.end());
      }
    }
    Matcher c = CAPITALISED.matcher(text);
    while (c.find()) {
      if (!free(taken, c.start(), c.end()) || NOT_NAMES.contains(c.group())
          || sentenceStart(text, c.start()) || isContractionOfI(text, c)) {
        continue;
      }
      out.add(new Fact("name", c.group(), List.of("W:" + c.group().toLowerCase(Locale.ROOT))));
    }
    return out;
  }

  /**
   * A rough, regex-free count of the claims of {@code text} (digit runs and capitalised words not
   * at a sentence start), for ranking sentences where speed matters more than precision.
   */
  static int count(String text) {
    int n = 0;
    int len = text.length();
    for (int i = 0; i < len; i++) {
      char c = text.charAt(i);
      boolean boundary = i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1));
      if (Character.isDigit(c) && (i == 0 || !Character.isDigit(text.charAt(i - 1))
          && text.charAt(i - 1) != ',' && text.charAt(i - 1) != '.')) {
        n++;
      } else if (boundary && Character.isUpperCase(c) && i > 0 && !sentenceStart(text, i)) {
        n++;
      }
    }
    return n;
  }

  /** Everything in {@code text} a claim may be matched against. */
  static Set<String> keys(String text) {
    Set<String> keys = new HashSet<>();
    for (DateMentions.Found d : DateMentions.scan(text)) {
      keys.add(d.key());
      keys.addAll(d.coarser());
    }
    Matcher t = TIME.matcher(text);
    while (t.find()) {
      for (String k : timeKeys(t)) {
        keys.add(k);
        int hour = Integer.parseInt(k.substring(2, 4));
        keys.add("N:" + hour);
        keys.add("N:" + (hour % 12 == 0 ? 12 : hour % 12));
      }
    }
    Matcher n = NUMBER.matcher(text);
    while (n.find()) {
      keys.add("N:" + normalise(n.group()));
    }
    Matcher w = WORD.matcher(text);
    while (w.find()) {
      String lower = w.group().toLowerCase(Locale.ROOT);
      keys.add("W:" + lower);
      Integer v = NUMBER_WORDS.get(lower);
      if (v != null) {
        keys.add("N:" + v);
      }
    }
    return keys;
  }

  /** Whether {@code fact} is supported by a passage with these keys and this squashed text. */
  static boolean grounded(Fact fact, Set<String> keys, String passageLower) {
    for (String k : fact.keys()) {
      if (keys.contains(k)) {
        return true;
      }
    }
    return passageLower.contains(Text.squash(fact.text()).toLowerCase(Locale.ROOT));
  }

  /** The first claim of {@code text} not supported by {@code passage}, or null. */
  static Fact firstUngrounded(String text, String passage) {
    Set<String> keys = keys(passage);
    String lower = Text.squash(passage).toLowerCase(Locale.ROOT);
    for (Fact f : claims(text)) {
      if (!grounded(f, keys, lower)) {
        return f;
      }
    }
    return null;
  }

  /** {@code 1,200} → 1200, {@code 49.00} → 49, {@code 0199} → 199. */
  static String normalise(String number) {
    try {
      return new BigDecimal(number.replace(",", "")).stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return number;
    }
  }

  private static List<String> dateClaimKeys(DateMentions.Found d) {
    if (d.key().startsWith("Y:")) {
      return List.of(d.key(), "N:" + d.key().substring(2));
    }
    return List.of(d.key());
  }

  private static List<String> timeKeys(Matcher t) {
    if (t.group(6) != null) {
      return List.of(t.group(6).equalsIgnoreCase("midnight") ? "T:00:00" : "T:12:00");
    }
    if (t.group(3) != null) {
      int h = Integer.parseInt(t.group(1));
      int min = t.group(2) == null ? 0 : Integer.parseInt(t.group(2));
      if (h < 1 || h > 12) {
        return List.of(time(h, min));
      }
      boolean pm = t.group(3).equalsIgnoreCase("p");
      return List.of(time(h % 12 + (pm ? 12 : 0), min));
    }
    int h = Integer.parseInt(t.group(4));
    int min = Integer.parseInt(t.group(5));
    if (h >= 1 && h <= 12) {
      return List.of(time(h % 12, min), time(h % 12 + 12, min));
    }
    return List.of(time(h, min));
  }

  private static String time(int h, int min) {
    return String.format(Locale.ROOT, "T:%02d:%02d", h, min);
  }

  private static String numberKind(String text, int start, int end) {
    int b = start - 1;
    while (b >= 0 && text.charAt(b) == ' ') {
      b--;
    }
    if (b >= 0 && "$\u20ac\u00a3\u00a5".indexOf(text.charAt(b)) >= 0) {
      return "money";
    }
    int a = end;
    while (a < text.length() && text.charAt(a) == ' ') {
      a++;
    }
    if (a < text.length() && text.charAt(a) == '%') {
      return "percent";
    }
    return text.regionMatches(true, a, "percent", 0, 7) ? "percent" : "number";
  }

  /**
   * True when only spaces, opening quotes or brackets, markdown markers or a list marker stand
   * between {@code at} and the text start, a line start or a sentence end ({@code . ! ? :}).
   */
  static boolean sentenceStart(String text, int at) {
    int i = at - 1;
    while (i >= 0) {
      char c = text.charAt(i);
      if (c == '\n' || c == '.' || c == '!' || c == '?' || c == ':' || c == '\u2026') {
        return true;
      }
      if (c == ' ' || c == '\t' || "\"'\u201c\u2018([*_>#|-\u2022".indexOf(c) >= 0
          || Character.isDigit(c) && i + 1 < text.length() && text.charAt(i + 1) == '.') {
        i--;
        continue;
      }
      return false;
    }
    return true;
  }

  private static boolean isContractionOfI(String text, Matcher c) {
    return c.group().equals("I") || (c.group().length() == 1 && c.end() < text.length()
        && (text.charAt(c.end()) == '\'' || text.charAt(c.end()) == '\u2019'));
  }

  private static void mark(boolean[] taken, int start, int end) {
    for (int i = start; i < end; i++) {
      taken[i] = true;
    }
  }

  private static boolean free(boolean[] taken, int start, int end) {
    for (int i = start; i < end; i++) {
      if (taken[i]) {
        return false;
      }
    }
    return true;
  }
}
