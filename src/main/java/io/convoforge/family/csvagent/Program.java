package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Set;

/**
 * The machine-readable recipe of a question's answer, simple enough to recompute by hand; {@code
 * schemas/question.schema.json} defines every op precisely. In short: keep the rows matching every
 * {@code where} condition, then
 * <ul>
 *   <li>{@code count}: rows ({@code column} absent) or non-empty cells of {@code column};
 *   <li>{@code sum|mean|median|min|max|count_distinct}: over the non-empty cells of {@code column}
 *       (median averages the two middle values of an even count);
 *   <li>{@code argmax_group|argmin_group}: the non-empty value of {@code group_by} whose
 *       {@code agg} of {@code column} is largest/smallest (ties: the smallest group name);
 *   <li>{@code top_n}: the {@code n} groups with the largest {@code agg}, largest first (ties by
 *       group name);
 *   <li>{@code ratio}: {@code agg} of {@code column} over rows whose {@code group_by} equals
 *       {@code numerator}, divided by the same over {@code denominator}.
 * </ul>
 * {@code agg} is one of count, sum, mean, median, min, max. Construction checks the fields an op
 * needs and throws IllegalArgumentException otherwise.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Program(String op, String column, List<Condition> where, String groupBy, String agg,
    Integer n, String numerator, String denominator) {
  public static final Set<String> SCALAR_OPS =
      Set.of("count", "sum", "mean", "median", "min", "max", "count_distinct");
  public static final Set<String> GROUP_OPS =
      Set.of("argmax_group", "argmin_group", "top_n", "ratio");
  public static final Set<String> AGGS = Set.of("count", "sum", "mean", "median", "min", "max");

  public Program {
    where = where == null ? List.of() : List.copyOf(where);
    if (!SCALAR_OPS.contains(op) && !GROUP_OPS.contains(op)) {
      throw new IllegalArgumentException("unknown op " + op);
    }
    boolean grouped = GROUP_OPS.contains(op);
    if (grouped && (groupBy == null || agg == null || !AGGS.contains(agg))) {
      throw new IllegalArgumentException(op + " needs group_by and agg in " + AGGS);
    }
    if (!grouped && (groupBy != null || agg != null)) {
      throw new IllegalArgumentException(op + " takes no group_by/agg");
    }
    String measure = grouped ? agg : op;
    if (!measure.equals("count") && column == null) {
      throw new IllegalArgumentException(op + " needs a column");
    }
    if (op.equals("top_n") != (n != null) || n != null && n < 1) {
      throw new IllegalArgumentException("n (>= 1) is for top_n only");
    }
    if (op.equals("ratio") != (numerator != null && denominator != null)) {
      throw new IllegalArgumentException("numerator and denominator are for ratio only");
    }
  }

  public static Program scalar(String op, String column, List<Condition> where) {
    return new Program(op, column, where, null, null, null, null, null);
  }

  public static Program group(String op, String groupBy, String agg, String column,
      List<Condition> where) {
    return new Program(op, column, where, groupBy, agg, null, null, null);
  }

  public static Program topN(String groupBy, String agg, String column, int n,
      List<Condition> where) {
    return new Program("top_n", column, where, groupBy, agg, n, null, null);
  }

  public static Program ratio(String groupBy, String agg, String column, String numerator,
      String denominator, List<Condition> where) {
    return new Program("ratio", column, where, groupBy, agg, null, numerator, denominator);
  }

  /** The aggregate applied to values: {@code agg} for grouped ops, else {@code op}. */
  public String measure() {
    return agg != null ? agg : op;
  }

  /** The columns the program reads, each once, in first-use order. */
  public List<String> columns() {
    java.util.LinkedHashSet<String> s = new java.util.LinkedHashSet<>();
    if (column != null) {
      s.add(column);
    }
    if (groupBy != null) {
      s.add(groupBy);
    }
    where.forEach(c -> s.add(c.column()));
    return List.copyOf(s);
  }
}
