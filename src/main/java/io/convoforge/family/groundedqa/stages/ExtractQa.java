package io.convoforge.family.groundedqa.stages;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.stages.ModelFn;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.groundedqa.Chunk;
import io.convoforge.family.groundedqa.GroundedQa;
import io.convoforge.family.groundedqa.GroundedQaContext;
import io.convoforge.family.groundedqa.OfflineQaExtractor;
import io.convoforge.family.groundedqa.QaPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.PCollection;

/**
 * Extracts up to {@code qa_per_chunk} question-answer pairs from each chunk (a fan-out): offline
 * the {@link OfflineQaExtractor} (answers are sentences or clauses of the chunk); on an LLM
 * backend the {@code extract_qa} prompt, checked to give at most that many pairs, each with
 * non-empty evidence. A pair's id derives from its chunk, question and evidence.
 *
 * <p>In: chunks. Out: one record per pair (payload: the chunk and the pair; slice: the chunk's
 * heading). Failures: {@code no_pairs} (a chunk with nothing answerable), or the model path's
 * reasons. Validity is not checked here ({@link ValidateQa} does).
 */
public final class ExtractQa extends RecordStage<GroundedQa, GroundedQa> {
  public static final String STAGE = OfflineQaExtractor.STAGE;
  private final GroundedQaContext ctx;

  private ExtractQa(GroundedQaContext ctx) {
    super("ExtractQa");
    this.ctx = ctx;
  }

  public static ExtractQa using(GroundedQaContext ctx) {
    return new ExtractQa(ctx);
  }

  @Override
  public StageResult<GroundedQa> expand(PCollection<Record<GroundedQa>> input) {
    return applyFn(input, "Extract", new ExtractFn(ctx), ctx.run().backend());
  }

  static final class ExtractFn extends ModelFn<GroundedQa, GroundedQa> {
    private final GroundedQaContext ctx;

    ExtractFn(GroundedQaContext ctx) {
      super(STAGE, ctx.run().backend(), ctx.prompts(), ctx.run().runId());
      this.ctx = ctx;
    }

    @Override
    protected void process(Record<GroundedQa> r, Emitter<GroundedQa> emit)
        throws RejectException {
      Chunk chunk = r.payload().chunk();
      List<QaPair> pairs = session() == null
          ? OfflineQaExtractor.extract(chunk, ctx.qaPerChunk(), ctx.run().seed())
          : ask(chunk, r.id());
      if (pairs.isEmpty()) {
        throw new RejectException("no_pairs", "nothing answerable in chunk " + chunk.id()
            + " (" + chunk.heading() + ")");
      }
      for (QaPair p : pairs) {
        emit.output(r.child(p.id(), r.payload().withPair(p)));
      }
    }

    private List<QaPair> ask(Chunk chunk, String id) throws RejectException {
      int n = ctx.qaPerChunk();
      JsonNode answer = session().ask(STAGE, Map.of("heading", chunk.heading(), "chunk",
          chunk.text(), "n", String.valueOf(n), "as_of", ctx.asOf().toString()), id,
          a -> a.path("pairs").size() > n
              ? List.of("give at most " + n + " pairs, not " + a.path("pairs").size())
              : List.of());
      List<QaPair> out = new ArrayList<>();
      for (JsonNode p : answer.path("pairs")) {
        String question = p.path("question").asText().strip();
        String evidence = p.path("evidence").asText().strip();
        out.add(new QaPair(OfflineQaExtractor.pairId(chunk, question, evidence), chunk.id(), chunk.heading(),
            question, p.path("answer").asText().strip(), evidence));
      }
      return out;
    }
  }
}
