package io.convoforge.family.csvagent;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recomputes a {@link Program}'s answer in plain Java over the parsed CSV rows, following the
 * definitions in schemas/question.schema.json and sharing no code with the SQL path (only the cell
 * parsing of {@link ColumnType}). The result is unrounded: Long, Double, ISO text, or a list.
 */
final class ProgramOracle {
  private final CsvTable table;
  private final Profile profile;
  private final Map<String, Object[]> typed = new java.util.HashMap<>();

  ProgramOracle(CsvTable table, Profile profile) {
    this.table = table;
    this.profile = profile;
  }

  Object eval(Program p) {
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < table.rows().size(); i++) {
      int row = i;
      if (p.where().stream().allMatch(c -> matches(row, c))) {
        rows.add(row);
      }
    }
    switch (p.op()) {
      case "argmax_group", "argmin_group", "top_n": {
        Map<String, Double> values = new TreeMap<>();
        groups(rows, p.groupBy()).forEach((g, rs) -> {
          Object v = aggregate(p.agg(), p.column(), rs);
          if (v != null) {
            values.put(g, ((Number) v).doubleValue());
          }
        });
        Comparator<Map.Entry<String, Double>> best = Map.Entry.comparingByValue();
        if (!p.op().equals("argmin_group")) {
          best = best.reversed();
        }
        List<String> ranked = values.entrySet().stream()
            .sorted(best.thenComparing(Map.Entry.comparingByKey()))
            .map(Map.Entry::getKey).toList();
        return p.op().equals("top_n") ? ranked.subList(0, Math.min(p.n(), ranked.size()))
            : ranked.get(0);
      }
      case "ratio": {
        Map<String, List<Integer>> g = groups(rows, p.groupBy());
        Object num = aggregate(p.agg(), p.column(), g.getOrDefault(p.numerator(), List.of()));
        Object den = aggregate(p.agg(), p.column(), g.getOrDefault(p.denominator(), List.of()));
        return ((Number) num).doubleValue() / ((Number) den).doubleValue();
      }
      default:
        return aggregate(p.op(), p.column(), rows);
    }
  }

  private Object aggregate(String agg, String column, List<Integer> rows) {
    if (column == null) {
      return (long) rows.size();
    }
    ColumnType t = profile.type(column);
    Object[] cells = column(column);
    List<Object> vs = new ArrayList<>();
    rows.forEach(r -> {
      if (cells[r] != null) {
        vs.add(cells[r]);
      }
    });
    switch (agg) {
      case "count":
        return (long) vs.size();
      case "count_distinct":
        return (long) new HashSet<>(vs).size();
      default:
        break;
    }
    if (vs.isEmpty()) {
      return null;
    }
    if (agg.equals("min") || agg.equals("max")) {
      @SuppressWarnings({"unchecked", "rawtypes"})
      Comparator<Object> natural = (Comparator) Comparator.naturalOrder();
      Object v = agg.equals("min") ? vs.stream().min(natural).get() : vs.stream().max(natural).get();
      return ColumnType.json(v);
    }
    BigDecimal sum = BigDecimal.ZERO;
    List<Double> ds = new ArrayList<>();
    for (Object v : vs) {
      sum = sum.add(new BigDecimal(v.toString()));
      ds.add(((Number) v).doubleValue());
    }
    switch (agg) {
      case "sum":
        return t == ColumnType.INTEGER ? (Object) sum.longValueExact() : sum.doubleValue();
      case "mean":
        return sum.doubleValue() / vs.size();
      case "median": {
        ds.sort(null);
        int n = ds.size();
        return n % 2 == 1 ? ds.get(n / 2) : (ds.get(n / 2 - 1) + ds.get(n / 2)) / 2;
      }
      default:
        throw new IllegalArgumentException(agg);
    }
  }

  private Map<String, List<Integer>> groups(List<Integer> rows, String column) {
    int i = table.columnIndex(column);
    Map<String, List<Integer>> g = new TreeMap<>();
    rows.forEach(r -> {
      String key = table.rows().get(r).get(i);
      if (key != null) {
        g.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
      }
    });
    return g;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private boolean matches(int row, Condition c) {
    ColumnType t = profile.type(c.column());
    Object cell = column(c.column())[row];
    if (cell == null) {
      return false;
    }
    Comparable a;
    Comparable b;
    if (t.numeric()) {
      a = new BigDecimal(cell.toString());
      b = new BigDecimal(c.value().toString());
    } else if (t == ColumnType.DATE) {
      a = (LocalDate) cell;
      b = LocalDate.parse(c.value().toString());
    } else {
      a = (Comparable) cell;
      b = (Comparable) t.parse(c.value().toString());
    }
    int cmp = a.compareTo(b);
    return switch (c.op()) {
      case "=" -> cmp == 0;
      case "!=" -> cmp != 0;
      case ">" -> cmp > 0;
      case ">=" -> cmp >= 0;
      case "<" -> cmp < 0;
      case "<=" -> cmp <= 0;
      default -> throw new IllegalArgumentException(c.op());
    };
  }

  /** The typed cells of a column, parsed once. */
  private Object[] column(String name) {
    return typed.computeIfAbsent(name, n -> {
      ColumnType t = profile.type(n);
      int i = table.columnIndex(n);
      return table.rows().stream().map(r -> t.parse(r.get(i))).toArray();
    });
  }

  /** Whether a stored (rounded) answer matches the unrounded recomputation. */
  static boolean agrees(Object stored, Object exact) {
    if (exact instanceof Double d) {
      double unit = Math.abs(d) >= 1 ? 0.01 : 0.0001;
      return stored instanceof Number s && Math.abs(s.doubleValue() - d) <= unit / 2 + 1e-9;
    }
    return String.valueOf(stored).equals(String.valueOf(exact));
  }
}
