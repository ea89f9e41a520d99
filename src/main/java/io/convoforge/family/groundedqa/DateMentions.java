package io.convoforge.family.groundedqa;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds dates in English text and tells which lie after an "as of" day. In: any text. Out: {@link
 * DateMention}s (the matched words and the earliest day they can mean), in text order,
 * non-overlapping (where two readings overlap the longer wins).
 *
 * <p>Forms recognised, with the earliest day each means:
 *
 * <ul>
 *   <li>days: {@code 2027-03-14}, {@code 2027/03/14}, {@code 14 March 2027}, {@code 14th of Mar
 *       2027}, {@code March 14, 2027}, day ranges {@code 14–16 March 2027} (the first day);
 *   <li>numeric {@code 03/04/2027} (also with {@code .} or {@code -}): day-month order is
 *       ambiguous, so when both parts are 12 or less the earlier of the two readings is taken
 *       (03/04 → 3 March); when one part is over 12 the order follows from it;
 *   <li>months: {@code 2027-03}, {@code March 2027}, {@code Mar. 2027}, {@code March of 2027},
 *       ranges {@code March–May 2027} (March; {@code November–February 2027} starts in November
 *       2026);
 *   <li>{@code Q2 2027}, {@code 2027 Q2} (quarter start), {@code H2 2027}, {@code first half of
 *       2027} (1 January or 1 July), seasons {@code spring 2027} (meteorological, northern
 *       hemisphere: spring 1 March, summer 1 June, autumn/fall 1 September, winter 1 December of
 *       the year before), {@code early/mid/late/end of 2027} (1 January, 1 May, 1 September, 1
 *       December);
 *   <li>years, only in a date-like context: after {@code in, by, during, from, until, till,
 *       through, since, starting (in), beginning in, as of, after} (after 2028 means 1 January
 *       2029; the others mean 1 January of the year they name), {@code FY2027} and {@code fiscal
 *       2027} (1 January: fiscal calendars differ), {@code the 2020s}, a year followed by a
 *       calendar noun ({@code 2028 season}, {@code 2028 edition}, {@code 2028 price list}...) and
 *       year ranges {@code 2026–2027}, {@code 2026-27} (1 January of the first year: a range
 *       counts by its start, like every other mention).
 * </ul>
 *
 * <p>Not dates: a bare year without such context ({@code "we sold 2028 units"}, {@code "founded
 * 2019"}), a number glued to letters, {@code #}, {@code /}, {@code -}, {@code +}, a currency sign
 * or a digit group ({@code SKU-2027}, {@code $2028}, {@code $2,028}, {@code 555-2027}, {@code 0800
 * 2027}), a year followed by a quantity word or {@code %} ({@code in 2028 units}), times ({@code
 * 20:28}), a day and month without a year ({@code 14 March}) and invalid days (2027-02-30). Month
 * names must be capitalised ({@code may} is usually a verb); years are 1900–2099.
 */
public final class DateMentions {
  /** A found date with its span and the keys {@link Facts} compares it by. */
  record Found(int start, int end, LocalDate earliest, String key, List<String> coarser) {}

  private static final int REACH_BEFORE = 48;
  private static final int REACH_AFTER = 48;
  private static final String BEFORE =
      "(?<![\\p{L}\\p{N}$\u20ac\u00a3#/.,:\\-\u2013\u2014+_])(?<!\\d\\s)";
  private static final String YEAR_END = "(?!\\d)(?![.,:/\\-\u2013]\\d)(?!\\s?%)";
  private static final String YEAR = "((?:19|20)\\d{2})" + YEAR_END;
  private static final String MONTH = "(January|February|March|April|May|June|July|August"
      + "|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
      + "\\b\\.?";
  private static final String DASH = "\\s*(?:\u2013|\u2014|-|to|through|until|and)\\s*";
  private static final String ORD = "(?:st|nd|rd|th)?";
  private static final String QUANTITY = "(?!\\s*(?:%|percent\\b|(?:units?|items?|pieces?|pcs"
      + "|people|persons|customers?|users?|seats?|devices?|orders?|copies|tickets?|members?"
      + "|employees|staff|calls?|times|dollars?|euros?|pounds?|points?|credits?|hours?|minutes?"
      + "|days?|weeks?|months?|years?|rows?|records?|words?|characters?|bytes?|steps?|kwh|kw"
      + "|watts?|km|kg|mb|gb|tb|mm|cm|ml|m|l|g|x)\\b))";
  private static final String CALENDAR_NOUNS = "(?:season|edition|release|model\\s+year"
      + "|fiscal\\s+year|tax\\s+year|school\\s+year|academic\\s+year|calendar|conference|summit"
      + "|roadmap|launch|catalogue|catalog|price\\s+list|pricing|tariff|schedule|timetable"
      + "|programme|festival|championship|tournament|cohort|intake|semester|budget|census"
      + "|elections?|olympics|world\\s+cup|winter|spring|summer|autumn|fall)\\b";

  private static final List<Form> FORMS = List.of(
      new Form(BEFORE + "((?:19|20)\\d{2})([-/.])(\\d{1,2})\\2(\\d{1,2})(?!\\d)(?![.,]\\d)",
          m -> day(m, num(m, 1), num(m, 3), num(m, 4))),
      new Form(BEFORE + "((?:19|20)\\d{2})-(0[1-9]|1[0-2])(?!\\d)(?![-/.]\\d)",
          m -> month(m, num(m, 1), num(m, 2))),
      new Form(BEFORE + "(\\d{1,2})([/.\\-])(\\d{1,2})\\2((?:19|20)\\d{2})(?!\\d)(?![.,]\\d)",
          DateMentions::numeric),
      new Form(BEFORE + "(\\d{1,2})" + ORD + DASH + "(\\d{1,2})" + ORD + "\\s+(?:of\\s+)?"
          + MONTH + ",?\\s+" + YEAR, m -> day(m, num(m, 4), monthOf(m.group(3)), num(m, 1))),
      new Form(BEFORE + "(\\d{1,2})" + ORD + "\\s+(?:of\\s+)?" + MONTH + ",?\\s+" + YEAR,
          m -> day(m, num(m, 3), monthOf(m.group(2)), num(m, 1))),
      new Form("\\b" + MONTH + "\\s+(\\d{1,2})" + ORD + DASH + "(\\d{1,2})" + ORD + ",?\\s+"
          + YEAR, m -> day(m, num(m, 4), monthOf(m.group(1)), num(m, 2))),
      new Form("\\b" + MONTH + "\\s+(\\d{1,2})" + ORD + "(?!\\d),?\\s+" + YEAR,
          m -> day(m, num(m, 3), monthOf(m.group(1)), num(m, 2))),
      new Form("\\b" + MONTH + DASH + MONTH + ",?\\s+" + YEAR, DateMentions::monthRange),
      new Form("\\b" + MONTH + ",?\\s+(?:of\\s+)?" + YEAR,
          m -> month(m, num(m, 2), monthOf(m.group(1)))),
      new Form("\\b[Qq]([1-4])(?:\\s+of)?[\\s/\\-]*" + YEAR,
          m -> quarter(m, num(m, 2), num(m, 1))),
      new Form(BEFORE + "((?:19|20)\\d{2})[\\s\\-]?Q([1-4])\\b",
          m -> quarter(m, num(m, 1), num(m, 2))),
      new Form("\\bH([12])(?:\\s+of)?[\\s/\\-]*" + YEAR, m -> half(m, num(m, 2), num(m, 1))),
      new Form(BEFORE + "((?:19|20)\\d{2})[\\s\\-]?H([12])\\b",
          m -> half(m, num(m, 1), num(m, 2))),
      new Form("(?i)\\b(first|second|1st|2nd)\\s+half\\s+of\\s+" + YEAR,
          m -> half(m, num(m, 2), m.group(1).toLowerCase(Locale.ROOT).startsWith("s")
              || m.group(1).startsWith("2") ? 2 : 1)),
      new Form("(?i)\\b(spring|summer|autumn|fall|winter)\\s+(?:of\\s+)?" + YEAR,
          DateMentions::season),
      new Form("(?i)\\b(early|mid|late|the\\s+end\\s+of|end\\s+of|the\\s+start\\s+of"
          + "|start\\s+of|the\\s+beginning\\s+of|beginning\\s+of)[\\s\\-]+" + YEAR,
          DateMentions::part),
      new Form("\\b(?:FY\\s?|[Ff]iscal\\s+(?:[Yy]ear\\s+)?)" + YEAR,
          m -> year(m, num(m, 1), 0)),
      new Form(BEFORE + "((?:19|20)\\d{2})" + DASH + "((?:19|20)\\d{2})" + YEAR_END,
          m -> range(m, num(m, 1), num(m, 2))),
      new Form(BEFORE + "((?:19|20)\\d{2})\\s*[\u2013\u2014\\-/]\\s*(\\d{2})" + YEAR_END,
          m -> range(m, num(m, 1), num(m, 1) / 100 * 100 + num(m, 2))),
      new Form("(?i)\\bthe\\s+((?:19|20)\\d0)s\\b", m -> decade(m, num(m, 1))),
      new Form("(?i)\\b(in|by|during|from|until|till|through|since|starting(?:\\s+in)?"
          + "|beginning\\s+in|as\\s+of|after)\\s+(?:the\\s+year\\s+)?" + YEAR + QUANTITY
          + "(?![\\s\\-]?[QH][1-4]\\b)",
          m -> year(m, num(m, 2), m.group(1).equalsIgnoreCase("after") ? 1 : 0)),
      new Form("(?i)" + BEFORE + "((?:19|20)\\d{2})(?:'s|\u2019s)?\\s+" + CALENDAR_NOUNS,
          m -> year(m, num(m, 1), 0)));

  private DateMentions() {}

  /** Every date mention in {@code text}, in order. */
  public static List<DateMention> find(String text) {
    List<DateMention> out = new ArrayList<>();
    for (Found f : scan(text)) {
      out.add(new DateMention(text.substring(f.start(), f.end()), f.earliest()));
    }
    return out;
  }

  /** The mentions whose earliest day is after {@code asOf} (strictly). */
  public static List<DateMention> laterThan(String text, LocalDate asOf) {
    List<DateMention> out = new ArrayList<>();
    for (DateMention m : find(text)) {
      if (m.earliest().isAfter(asOf)) {
        out.add(m);
      }
    }
    return out;
  }

  static List<Found> scan(String text) {
    List<int[]> windows = yearWindows(text);
    if (windows.isEmpty()) {
      return List.of();
    }
    List<Found> all = new ArrayList<>();
    for (Form form : FORMS) {
      Matcher m = form.pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
      for (int[] w : windows) {
        m.region(w[0], w[1]);
        while (m.find()) {
          Found f = form.read.apply(m);
          if (f != null) {
            all.add(f);
          }
        }
      }
    }
    all.sort(Comparator.comparingInt((Found f) -> f.start() - f.end())
        .thenComparingInt(Found::start));
    List<Found> kept = new ArrayList<>();
    for (Found f : all) {
      boolean overlaps = false;
      for (Found k : kept) {
        if (f.start() < k.end() && k.start() < f.end()) {
          overlaps = true;
          break;
        }
      }
      if (!overlaps) {
        kept.add(f);
      }
    }
    kept.sort(Comparator.comparingInt(Found::start));
    return kept;
  }

  /**
   * Every form holds a 19xx/20xx year, and none reaches further than {@value #REACH_BEFORE}
   * characters before it or {@value #REACH_AFTER} after it: the regions worth matching, merged.
   * Most texts hold no year and cost one pass over their characters.
   */
  private static List<int[]> yearWindows(String s) {
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i + 3 < s.length(); i++) {
      char c = s.charAt(i);
      char d = s.charAt(i + 1);
      if (((c == '1' && d == '9') || (c == '2' && d == '0'))
          && Character.isDigit(s.charAt(i + 2)) && Character.isDigit(s.charAt(i + 3))) {
        int from = Math.max(0, i - REACH_BEFORE);
        int to = Math.min(s.length(), i + 4 + REACH_AFTER);
        if (!out.isEmpty() && out.get(out.size() - 1)[1] >= from) {
          out.get(out.size() - 1)[1] = to;
        } else {
          out.add(new int[] {from, to});
        }
      }
    }
    return out;
  }

  private record Form(Pattern pattern, Function<Matcher, Found> read) {
    Form(String regex, Function<Matcher, Found> read) {
      this(Pattern.compile(regex), read);
    }
  }

  private static int num(Matcher m, int group) {
    return Integer.parseInt(m.group(group));
  }

  private static Found day(Matcher m, int y, int mo, int d) {
    LocalDate date = date(y, mo, d);
    if (date == null) {
      return null;
    }
    return new Found(m.start(), m.end(), date, "D:" + date,
        List.of(String.format(Locale.ROOT, "M:%04d-%02d", y, mo), "Y:" + y));
  }

  private static Found numeric(Matcher m) {
    int a = num(m, 1);
    int b = num(m, 3);
    int y = num(m, 4);
    LocalDate dayFirst = date(y, b, a);
    LocalDate monthFirst = date(y, a, b);
    if (dayFirst == null && monthFirst == null) {
      return null;
    }
    LocalDate d = dayFirst == null ? monthFirst
        : monthFirst == null || dayFirst.isBefore(monthFirst) ? dayFirst : monthFirst;
    return day(m, d.getYear(), d.getMonthValue(), d.getDayOfMonth());
  }

  private static Found month(Matcher m, int y, int mo) {
    if (mo < 1 || mo > 12) {
      return null;
    }
    return new Found(m.start(), m.end(), LocalDate.of(y, mo, 1),
        String.format(Locale.ROOT, "M:%04d-%02d", y, mo), List.of("Y:" + y));
  }

  private static Found monthRange(Matcher m) {
    int from = monthOf(m.group(1));
    int to = monthOf(m.group(2));
    int y = num(m, 3);
    int startYear = from > to ? y - 1 : y;
    return new Found(m.start(), m.end(), LocalDate.of(startYear, from, 1),
        String.format(Locale.ROOT, "MR:%04d-%02d..%04d-%02d", startYear, from, y, to),
        List.of(String.format(Locale.ROOT, "M:%04d-%02d", startYear, from),
            String.format(Locale.ROOT, "M:%04d-%02d", y, to), "Y:" + y));
  }

  private static Found quarter(Matcher m, int y, int q) {
    return new Found(m.start(), m.end(), LocalDate.of(y, 3 * q - 2, 1), "Q:" + y + "-Q" + q,
        List.of("Y:" + y));
  }

  private static Found half(Matcher m, int y, int h) {
    return new Found(m.start(), m.end(), LocalDate.of(y, h == 1 ? 1 : 7, 1), "H:" + y + "-H" + h,
        List.of("Y:" + y));
  }

  private static Found season(Matcher m) {
    String s = m.group(1).toLowerCase(Locale.ROOT);
    int y = num(m, 2);
    LocalDate d = switch (s) {
      case "spring" -> LocalDate.of(y, 3, 1);
      case "summer" -> LocalDate.of(y, 6, 1);
      case "winter" -> LocalDate.of(y - 1, 12, 1);
      default -> LocalDate.of(y, 9, 1);
    };
    String name = s.equals("fall") ? "autumn" : s;
    return new Found(m.start(), m.end(), d, "S:" + y + "-" + name, List.of("Y:" + y));
  }

  private static Found part(Matcher m) {
    String p = m.group(1).toLowerCase(Locale.ROOT);
    int y = num(m, 2);
    int month = p.startsWith("mid") ? 5 : p.startsWith("late") ? 9 : p.contains("end") ? 12 : 1;
    return new Found(m.start(), m.end(), LocalDate.of(y, month, 1), "Y:" + y, List.of());
  }

  private static Found year(Matcher m, int y, int offset) {
    return new Found(m.start(), m.end(), LocalDate.of(y + offset, 1, 1), "Y:" + y, List.of());
  }

  private static Found range(Matcher m, int from, int to) {
    if (to <= from || to - from > 100) {
      return null;
    }
    List<String> years = new ArrayList<>();
    for (int y = from; y <= to && years.size() < 12; y++) {
      years.add("Y:" + y);
    }
    return new Found(m.start(), m.end(), LocalDate.of(from, 1, 1), "YR:" + from + ".." + to,
        years);
  }

  private static Found decade(Matcher m, int y) {
    return new Found(m.start(), m.end(), LocalDate.of(y, 1, 1), "DEC:" + y, List.of());
  }

  private static LocalDate date(int y, int mo, int d) {
    try {
      return LocalDate.of(y, mo, d);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static int monthOf(String name) {
    return switch (name.substring(0, 3)) {
      case "Jan" -> 1;
      case "Feb" -> 2;
      case "Mar" -> 3;
      case "Apr" -> 4;
      case "May" -> 5;
      case "Jun" -> 6;
      case "Jul" -> 7;
      case "Aug" -> 8;
      case "Sep" -> 9;
      case "Oct" -> 10;
      case "Nov" -> 11;
      default -> 12;
    };
  }
}
