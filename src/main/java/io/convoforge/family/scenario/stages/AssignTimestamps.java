package io.convoforge.family.scenario.stages;

import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.stages.RecordFn;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.scenario.ScenarioCodec;
import io.convoforge.family.scenario.Timeline;
import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.model.ScenarioCall;
import java.util.List;
import org.apache.beam.sdk.values.PCollection;

/**
 * Gives every message its timestamp: the pipeline's, never the writer's or the model's ({@link
 * Timeline}: ISO-8601 with the spec's offset, strictly increasing, each gap drawn from (run seed,
 * conversation id) inside the latency range of the role that speaks, conversations of a batch
 * and batches of a run at increasing times). A spec without timing leaves messages as they are.
 *
 * <p>In: written calls. Out: the same with timestamps. Failures: {@code no_role} (a message
 * spoken by neither agent nor client, which no latency range covers).
 */
public final class AssignTimestamps extends RecordStage<ScenarioCall, ScenarioCall> {
  public static final String STAGE = "timestamps";
  private final Timeline timeline;
  private final long seed;

  private AssignTimestamps(Timeline timeline, long seed) {
    super("AssignTimestamps");
    this.timeline = timeline;
    this.seed = seed;
  }

  /** Timestamps from {@code timeline} (null: none) and the run {@code seed}. */
  public static AssignTimestamps of(Timeline timeline, long seed) {
    return new AssignTimestamps(timeline, seed);
  }

  @Override
  public StageResult<ScenarioCall> expand(PCollection<Record<ScenarioCall>> input) {
    return applyFn(input, "Timestamps", new StampFn(timeline, seed), null);
  }

  static final class StampFn extends RecordFn<ScenarioCall, ScenarioCall> {
    private final Timeline timeline;
    private final long seed;

    StampFn(Timeline timeline, long seed) {
      super(STAGE);
      this.timeline = timeline;
      this.seed = seed;
    }

    @Override
    protected void process(Record<ScenarioCall> r, Emitter<ScenarioCall> emit)
        throws RejectException {
      if (timeline == null) {
        emit.output(r);
        return;
      }
      List<Message> m = ScenarioCodec.transcriptMessages(r.messages());
      for (int i = 0; i < m.size(); i++) {
        if (m.get(i).role() == null) {
          throw new RejectException("no_role", "message " + i + " is spoken by '"
              + r.messages().get(i).role() + "', neither agent nor client");
        }
      }
      ScenarioCall p = r.payload();
      emit.output(r.withMessages(ScenarioCodec.recordMessages(
          timeline.stamp(m, p.batchIndex(), p.slot(), seed, r.id()))));
    }
  }
}
