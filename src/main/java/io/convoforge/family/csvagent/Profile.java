package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a CSV holds, per column: the inferred {@link ColumnType}, how many cells are filled
 * ({@code count}) and empty ({@code nulls}), distinct values, min/max (numbers, or ISO dates: the
 * date range), the mean of numeric columns (4 decimals), and for categorical columns the top 10
 * values with counts (by count, then value). Built from a {@link CsvTable} by {@link #of}; never
 * fails on a loaded table. JSON-serialisable with snake_case names.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Profile(String file, String sha256, String table, int rows,
    List<ColumnProfile> columns) {
  static final int TOP = 10;
  private static final Pattern ID_NAME =
      Pattern.compile("(?i)^(id|.*_id|.*[a-z]Id|.*_no|.*number)$");

  /** One column's statistics; {@code min}/{@code max} are JSON values (numbers or ISO text). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ColumnProfile(String name, ColumnType type, int count, int nulls, int distinct,
      Object min, Object max, Double mean, boolean categorical, boolean identifier,
      List<ValueCount> top) {}

  /** A value of a categorical column and the number of rows holding it. */
  public record ValueCount(Object value, int count) {}

  public static Profile of(CsvTable t) {
    List<ColumnProfile> cols = new ArrayList<>();
    for (int c = 0; c < t.columns().size(); c++) {
      cols.add(column(t, c));
    }
    return new Profile(t.file(), t.sha256(), t.tableName(), t.rows().size(), List.copyOf(cols));
  }

  public ColumnProfile column(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no column " + name + " in " + file));
  }

  /** The column's type, as the sandbox and every program use it. */
  public ColumnType type(String name) {
    return column(name).type();
  }

  private static ColumnProfile column(CsvTable t, int c) {
    String name = t.columns().get(c);
    List<String> raw = new ArrayList<>(t.rows().size());
    t.rows().forEach(r -> raw.add(r.get(c)));
    ColumnType type = ColumnType.infer(raw);
    Map<Object, Integer> counts = new HashMap<>();
    List<Comparable<Object>> values = new ArrayList<>();
    double sum = 0;
    for (String s : raw) {
      Object v = type.parse(s);
      if (v == null) {
        continue;
      }
      counts.merge(v, 1, Integer::sum);
      @SuppressWarnings("unchecked")
      Comparable<Object> cv = (Comparable<Object>) v;
      values.add(cv);
      if (v instanceof Number n) {
        sum += n.doubleValue();
      }
    }
    int count = values.size();
    Object min = values.stream().min(Comparator.naturalOrder()).map(ColumnType::json).orElse(null);
    Object max = values.stream().max(Comparator.naturalOrder()).map(ColumnType::json).orElse(null);
    Double mean = type.numeric() && count > 0
        ? BigDecimal.valueOf(sum / count).setScale(4, RoundingMode.HALF_UP).doubleValue() : null;
    int distinct = counts.size();
    boolean categorical = (type == ColumnType.TEXT || type == ColumnType.BOOLEAN)
        && distinct >= 2 && distinct <= Math.min(100, Math.max(2, count / 5));
    boolean identifier = ID_NAME.matcher(name).matches()
        || (type == ColumnType.INTEGER || type == ColumnType.TEXT) && count > 20
            && distinct == count;
    List<ValueCount> top = categorical ? top(counts) : List.of();
    return new ColumnProfile(name, type, count, raw.size() - count, distinct,
        type == ColumnType.TEXT ? null : min, type == ColumnType.TEXT ? null : max, mean,
        categorical, identifier, top);
  }

  private static List<ValueCount> top(Map<Object, Integer> counts) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<Object, Integer>comparingByValue().reversed()
            .thenComparing(e -> String.valueOf(e.getKey())))
        .limit(TOP)
        .map(e -> new ValueCount(ColumnType.json(e.getKey()), e.getValue()))
        .toList();
  }
}
