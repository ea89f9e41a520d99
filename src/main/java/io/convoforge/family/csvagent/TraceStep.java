package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * One executed SQL step of an episode, as the sandbox returned it: the statement, whether it
 * succeeded, the shown rows and total row count, the error, and the wall time in ms (the one
 * field that differs between two runs of the same episode).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TraceStep(int step, String sql, boolean ok, List<String> columns,
    List<List<Object>> rows, long rowCount, String error, long ms) {
  static TraceStep of(int step, String sql, SqlResult r) {
    return new TraceStep(step, sql, r.ok(), r.columns(), r.rows(), r.rowCount(), r.error(),
        r.ms());
  }
}
