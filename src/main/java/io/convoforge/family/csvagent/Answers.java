package io.convoforge.family.csvagent;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The answer of a query, as stored in questions and stated by solvers. {@link #round}: integers
 * stay exact; other numbers are rounded half-up to 2 decimals when |x| ≥ 1 and to 4 decimals below
 * (so a share like 0.0375 keeps its digits); strings and booleans are unchanged; lists are rounded
 * element-wise. {@link #of} reads the answer from a result: the first column of every shown row for
 * {@code top_n}, else the first cell. Pure functions.
 */
public final class Answers {
  private Answers() {}

  public static Object round(Object v) {
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(x -> out.add(round(x)));
      return java.util.Collections.unmodifiableList(out);
    }
    if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        return String.valueOf(d);
      }
      int scale = Math.abs(d) >= 1 ? 2 : 4;
      return new BigDecimal(Double.toString(d)).setScale(scale, RoundingMode.HALF_UP).doubleValue();
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    return v;
  }

  /** The (rounded) answer a successful result gives for a program op; null when it has none. */
  public static Object of(String op, SqlResult r) {
    if (r == null || !r.ok()) {
      return null;
    }
    if ("top_n".equals(op)) {
      List<Object> firsts = new ArrayList<>();
      r.rows().forEach(row -> firsts.add(row.isEmpty() ? null : row.get(0)));
      return round(firsts);
    }
    return round(r.scalar());
  }

  /** Plain text of an answer for a chat message: {@code 1234.5}, {@code Books, Toys}. */
  public static String format(Object v) {
    if (v instanceof List<?> l) {
      return l.stream().map(Answers::format).collect(Collectors.joining(", "));
    }
    if (v instanceof Double d) {
      return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
    return String.valueOf(v);
  }
}
