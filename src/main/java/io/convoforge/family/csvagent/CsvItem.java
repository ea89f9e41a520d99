package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of a csv-agent record after the source: a {@link Question} and, once the
 * episodes stage has run, the episode kept for it (or a trace rejected beside it): its trace
 * index among the n teacher traces, its SQL {@code trace}, its {@code answer}, the planted
 * {@code mistake} of a scripted trace (null otherwise) and the question's {@link Verification}.
 * The dialogue itself is the record's {@code messages}. Immutable.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CsvItem(Question question, Integer traceIndex, List<TraceStep> trace,
    Object answer, String mistake, Verification verification) {

  public CsvItem {
    trace = trace == null ? null : List.copyOf(trace);
  }

  /** A question not yet solved. */
  public static CsvItem of(Question q) {
    return new CsvItem(q, null, null, null, null, null);
  }

  /**
   * The item of one trace of {@code e} with the question's verdict; step times are kept only
   * when {@code timing} (they are wall time, the one thing that differs between reruns).
   */
  public static CsvItem of(Question q, Episode e, Verification v, boolean timing) {
    List<TraceStep> steps = new ArrayList<>(e.trace().size());
    for (TraceStep s : e.trace()) {
      steps.add(timing ? s : new TraceStep(s.step(), s.sql(), s.ok(), s.columns(), s.rows(),
          s.rowCount(), s.error(), 0));
    }
    return new CsvItem(q, e.traceIndex(), steps, e.answer(), e.mistake(), v);
  }

  /** Whether this is an episode (the episodes stage ran on it). */
  public boolean solved() {
    return trace != null;
  }
}
