package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one statement in the {@link SqlSandbox} gave: on success the column names, the first rows
 * (at most the sandbox's row cap; cells are JSON values: numbers, strings, booleans, ISO dates)
 * and the total {@code row_count}; on failure {@code ok=false} and the error text (DuckDB's own
 * message, or "Refused: …" / "Timeout: …" from the sandbox). {@code ms} is wall time.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SqlResult(boolean ok, List<String> columns, List<List<Object>> rows, long rowCount,
    String error, long ms) {

  public static SqlResult failure(String error, long ms) {
    return new SqlResult(false, List.of(), List.of(), 0, error, ms);
  }

  /** The first cell, or null when there is none. */
  public Object scalar() {
    return rows.isEmpty() || rows.get(0).isEmpty() ? null : rows.get(0).get(0);
  }

  /** The tool message's content: {@code {columns, rows, row_count}} or {@code {error}}. */
  public Map<String, Object> observation() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (ok) {
      m.put("columns", columns);
      m.put("rows", rows);
      m.put("row_count", rowCount);
      if (rowCount > rows.size()) {
        m.put("note", "showing the first " + rows.size() + " of " + rowCount + " rows");
      }
    } else {
      m.put("error", error);
    }
    return m;
  }
}
