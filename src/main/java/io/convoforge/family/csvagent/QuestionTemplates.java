package io.convoforge.family.csvagent;

import io.convoforge.family.csvagent.Profile.ColumnProfile;
import io.convoforge.family.csvagent.Profile.ValueCount;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The synthetic question templates: each draws a random {@link Program} that makes sense for one
 * table, or null when the table has no suitable columns. Sensible means: sums and means only over
 * numeric columns that are not identifiers, groups over categorical text columns, equality filters
 * on values that occur at least 3 times, numeric and date bounds taken from real cells (quartiles,
 * so an off-by-one bound changes the answer). Answers are not checked here; {@link
 * QuestionGenerator} runs and validates each draw.
 */
final class QuestionTemplates {
  /** Template names in the round-robin order that mixes difficulties. */
  static final List<String> ORDER = List.of("count_where", "aggregate", "argmax_group", "ratio",
      "multi_step", "min_max", "date_range", "top_n", "multi_filter_aggregate", "count_distinct",
      "filtered_aggregate", "argmin_group", "count_rows");

  private final CsvTable table;
  private final Profile profile;
  // Summing a rate, a score, an age or a temperature means nothing; their mean does.
  private static final java.util.regex.Pattern NOT_ADDITIVE = java.util.regex.Pattern.compile(
      "(?i).*(pct|percent|rate|rating|score|age|year|temp|_c$|preis|price).*");
  private final List<String> measures = new ArrayList<>();
  private final List<String> additive = new ArrayList<>();
  private final List<String> filters = new ArrayList<>();
  private final List<String> groups = new ArrayList<>();
  private final List<String> dates = new ArrayList<>();
  private final List<String> distinctables = new ArrayList<>();
  private final Map<String, List<Object>> sorted = new HashMap<>();

  QuestionTemplates(CsvTable table, Profile profile) {
    this.table = table;
    this.profile = profile;
    for (ColumnProfile c : profile.columns()) {
      if (c.identifier() || c.count() < 10) {
        continue;
      }
      if (c.type().numeric()) {
        measures.add(c.name());
        if (!NOT_ADDITIVE.matcher(c.name()).matches()) {
          additive.add(c.name());
        }
      }
      if (c.type().temporal()) {
        dates.add(c.name());
      }
      if (c.categorical() && !usable(c).isEmpty()) {
        filters.add(c.name());
        if (c.type() == ColumnType.TEXT && c.distinct() >= 3) {
          groups.add(c.name());
        }
      }
      if (c.type() == ColumnType.TEXT && c.distinct() >= 2) {
        distinctables.add(c.name());
      }
    }
  }

  Program draw(String template, SplittableRandom r) {
    return switch (template) {
      case "count_rows" -> Program.scalar("count", null, List.of());
      case "count_where" -> filters.isEmpty() ? null
          : Program.scalar("count", null, List.of(categoryFilter(r, null)));
      case "aggregate" -> aggregate(r);
      case "min_max" -> minMax(r);
      case "count_distinct" -> distinctables.isEmpty() ? null
          : Program.scalar("count_distinct", pick(r, distinctables), List.of());
      case "filtered_aggregate" -> filteredAggregate(r, 1);
      case "multi_filter_aggregate" -> filteredAggregate(r, 2);
      case "date_range" -> dateRange(r);
      case "argmax_group", "argmin_group" -> group(r, template, List.of());
      case "top_n" -> group(r, "top_n", List.of());
      case "ratio" -> group(r, "ratio", List.of());
      case "multi_step" -> multiStep(r);
      default -> throw new IllegalArgumentException("unknown template " + template);
    };
  }

  private Program aggregate(SplittableRandom r) {
    String op = pick(r, List.of("sum", "mean", "median"));
    String column = measure(r, op);
    return column == null ? null : Program.scalar(op, column, List.of());
  }

  /** A numeric column an aggregate makes sense over (sum: additive ones only), or null. */
  private String measure(SplittableRandom r, String agg) {
    List<String> cols = agg.equals("sum") ? additive : measures;
    return cols.isEmpty() ? null : pick(r, cols);
  }

  private Program minMax(SplittableRandom r) {
    List<String> cols = new ArrayList<>(measures);
    cols.addAll(dates);
    return cols.isEmpty() ? null
        : Program.scalar(pick(r, List.of("min", "max")), pick(r, cols), List.of());
  }

  private Program filteredAggregate(SplittableRandom r, int nFilters) {
    if (measures.isEmpty()) {
      return null;
    }
    String op = pick(r, List.of("sum", "mean", "median", "max", "min", "count"));
    String column = measure(r, op);
    List<Condition> where = column == null ? null : filters(r, nFilters, column, null);
    if (op.equals("count") && column != null && profile.column(column).nulls() == 0) {
      column = null;
    }
    return where == null ? null : Program.scalar(op, column, where);
  }

  private Program dateRange(SplittableRandom r) {
    if (dates.isEmpty()) {
      return null;
    }
    List<Condition> where = range(r, pick(r, dates));
    String column = r.nextBoolean() ? measure(r, "sum") : null;
    return Program.scalar(column != null ? "sum" : "count", column, where);
  }

  private Program multiStep(SplittableRandom r) {
    String op = pick(r, List.of("argmax_group", "argmin_group", "top_n", "ratio"));
    return groups.isEmpty() ? null : group(r, op, null);
  }

  /** A grouped program; {@code where} null means "draw 1 or 2 filters on other columns". */
  private Program group(SplittableRandom r, String op, List<Condition> where) {
    if (groups.isEmpty()) {
      return null;
    }
    String g = pick(r, groups);
    List<String> aggs = measures.isEmpty() ? List.of("count")
        : op.equals("argmin_group") ? List.of("sum", "mean", "median", "min")
        : List.of("count", "sum", "mean", "median", "max");
    String agg = pick(r, aggs);
    String column = agg.equals("count") ? null : measure(r, agg);
    if (!agg.equals("count") && column == null) {
      return null;
    }
    if (where == null) {
      where = filters(r, 1 + r.nextInt(2), column, g);
      if (where == null) {
        return null;
      }
    }
    switch (op) {
      case "top_n":
        return Program.topN(g, agg, column, r.nextBoolean() ? 3 : 5, where);
      case "ratio": {
        List<ValueCount> top = usable(profile.column(g));
        if (top.size() < 2) {
          return null;
        }
        int a = r.nextInt(Math.min(4, top.size()));
        int b = (a + 1 + r.nextInt(Math.min(4, top.size()) - 1)) % Math.min(4, top.size());
        String ratioAgg = pick(r, List.of("count", "sum", "mean"));
        String ratioCol = ratioAgg.equals("count") ? null : measure(r, ratioAgg);
        return Program.ratio(g, ratioCol == null ? "count" : ratioAgg, ratioCol,
            String.valueOf(top.get(a).value()), String.valueOf(top.get(b).value()), where);
      }
      default:
        return Program.group(op, g, agg, column, where);
    }
  }

  /** {@code n} filters on distinct columns other than the ones named; null when impossible. */
  private List<Condition> filters(SplittableRandom r, int n, String measure, String group) {
    List<Condition> out = new ArrayList<>();
    List<String> used = new ArrayList<>();
    used.add(group);
    for (int tries = 0; out.size() < n && tries < 10; tries++) {
      int kind = r.nextInt(3);
      if (kind == 0 && !filters.isEmpty()) {
        Condition c = categoryFilter(r, used);
        if (c != null) {
          out.add(c);
          used.add(c.column());
        }
      } else if (kind == 1 && !measures.isEmpty()) {
        String col = pick(r, measures);
        if (!used.contains(col) && !col.equals(measure)) {
          out.add(bound(r, col));
          used.add(col);
        }
      } else if (kind == 2 && !dates.isEmpty()) {
        String col = pick(r, dates);
        if (!used.contains(col)) {
          out.addAll(r.nextBoolean() ? range(r, col) : List.of(bound(r, col)));
          used.add(col);
        }
      }
    }
    return out.size() >= n ? List.copyOf(out) : null;
  }

  private Condition categoryFilter(SplittableRandom r, List<String> exclude) {
    List<String> cols = new ArrayList<>(filters);
    if (exclude != null) {
      cols.removeAll(exclude);
    }
    if (cols.isEmpty()) {
      return null;
    }
    String col = pick(r, cols);
    List<ValueCount> top = usable(profile.column(col));
    Object value = top.get(r.nextInt(Math.min(5, top.size()))).value();
    return new Condition(col, r.nextInt(6) == 0 ? "!=" : "=", value);
  }

  /** A one-sided bound at a quartile cell of a numeric or date column. */
  private Condition bound(SplittableRandom r, String col) {
    double q = pick(r, List.of(0.25, 0.5, 0.75));
    return new Condition(col, pick(r, List.of(">", ">=", "<", "<=")), quantile(col, q));
  }

  private List<Condition> range(SplittableRandom r, String col) {
    double lo = 0.1 + 0.1 * r.nextInt(3);
    double hi = 0.6 + 0.1 * r.nextInt(3);
    return List.of(new Condition(col, ">=", quantile(col, lo)),
        new Condition(col, "<=", quantile(col, hi)));
  }

  private Object quantile(String col, double q) {
    List<Object> values = sorted.computeIfAbsent(col, c -> {
      ColumnType t = profile.type(c);
      int i = table.columnIndex(c);
      List<Object> vs = new ArrayList<>();
      table.rows().forEach(row -> {
        Object v = t.parse(row.get(i));
        if (v != null) {
          vs.add(v);
        }
      });
      @SuppressWarnings({"unchecked", "rawtypes"})
      List<Comparable> cs = (List) vs;
      java.util.Collections.sort(cs);
      return vs;
    });
    return ColumnType.json(values.get((int) Math.floor(q * (values.size() - 1))));
  }

  /** Top values occurring at least 3 times (so a filter on them selects something real). */
  private static List<ValueCount> usable(ColumnProfile c) {
    return c.top().stream().filter(v -> v.count() >= 3).toList();
  }

  private static <T> T pick(SplittableRandom r, List<T> xs) {
    return xs.get(r.nextInt(xs.size()));
  }
}
