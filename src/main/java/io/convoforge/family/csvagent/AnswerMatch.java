package io.convoforge.family.csvagent;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether two answers are the same, after normalising both.
 *
 * <p>Numbers (and text that reads as a number, thousands separators allowed: {@code "1,234.5"})
 * match when {@code |a − b| ≤ tolerance}, compared exactly in decimal so that 1.0 and 1.1 match at
 * tolerance 0.1. The tolerance is <b>absolute</b>, as in the seed: stored answers are rounded to 2
 * decimals (4 below 1), so rounding never costs more than 0.005, while a relative tolerance of 0.1
 * would let a count of 1,012 pass for 1,100. Text matches ignoring case, surrounding quotes,
 * repeated whitespace and trailing {@code . , ; : ! ?}. Lists match element-wise in order when
 * {@code ordered}, else as multisets; a list and a comma-separated text are compared as lists. A
 * null answer (a trace that gave none) matches nothing, not even another null.
 */
public final class AnswerMatch {
  private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+|\\d{1,3}(,\\d{3})+)(\\.\\d+)?");
  private final BigDecimal tolerance;

  public AnswerMatch(double tolerance) {
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("float_tolerance must be a finite number >= 0");
    }
    this.tolerance = new BigDecimal(Double.toString(tolerance));
  }

  public boolean same(Object a, Object b, boolean ordered) {
    Object x = normalize(a);
    Object y = normalize(b);
    if (x == null || y == null) {
      return false;
    }
    if (x instanceof List<?> || y instanceof List<?>) {
      List<Object> xs = asList(x);
      List<Object> ys = asList(y);
      if (xs.size() != ys.size()) {
        return false;
      }
      if (!ordered) {
        xs.sort(Comparator.comparing(AnswerMatch::key));
        ys.sort(Comparator.comparing(AnswerMatch::key));
      }
      for (int i = 0; i < xs.size(); i++) {
        if (!sameAtom(xs.get(i), ys.get(i))) {
          return false;
        }
      }
      return true;
    }
    return sameAtom(x, y);
  }

  private boolean sameAtom(Object x, Object y) {
    if (x instanceof BigDecimal m && y instanceof BigDecimal n) {
      return m.subtract(n).abs().compareTo(tolerance) <= 0;
    }
    return x != null && x.equals(y);
  }

  /**
   * The comparable form: BigDecimal for numbers and numeric text, normalised lower-case text,
   * Boolean, or a list of those; null stays null.
   */
  public static Object normalize(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(normalize(x)));
      return out;
    }
    if (v instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    if (v instanceof Boolean) {
      return v;
    }
    String s = v.toString().strip().replaceAll("\\s+", " ");
    s = s.replaceAll("[.,;:!?]+$", "").strip();
    if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"")
        || s.startsWith("'") && s.endsWith("'"))) {
      s = s.substring(1, s.length() - 1).strip();
    }
    if (NUMBER.matcher(s).matches()) {
      return new BigDecimal(s.replace(",", ""));
    }
    return s.toLowerCase(Locale.ROOT);
  }

  private static List<Object> asList(Object x) {
    if (x instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    List<Object> out = new ArrayList<>();
    for (String part : String.valueOf(x).split(",")) {
      out.add(normalize(part));
    }
    return out;
  }

  private static String key(Object x) {
    return x instanceof BigDecimal d ? "0" + d.stripTrailingZeros().toPlainString() : "1" + x;
  }
}
