package io.convoforge.family.tooluse.stages;

import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.backend.Generator;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.ToolUse;
import io.convoforge.family.tooluse.model.Turn;
import java.util.List;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes each conversation's turns through the backend. Re-validates every call the dialogue
 * contains, so no schema-invalid call can reach the output (agents trained on it would learn it).
 *
 * <p>In: conversations with arguments. Out: with {@code turns}. Failures: {@code
 * plan_inconsistent} (a call does not behave as planned), {@code call_schema_invalid}, or a
 * backend's reasons.
 */
public final class WriteUtterances extends RecordStage<ToolUse, ToolUse> {
  public static final String STAGE = "utterances";
  private final ToolUseContext ctx;

  private WriteUtterances(ToolUseContext ctx) {
    super("WriteUtterances");
    this.ctx = ctx;
  }

  public static WriteUtterances using(ToolUseContext ctx) {
    return new WriteUtterances(ctx);
  }

  @Override
  public StageResult<ToolUse> expand(PCollection<Record<ToolUse>> input) {
    return applyFn(input, "Utterances", new UtterancesFn(ctx), ctx.backend());
  }

  static final class UtterancesFn extends ToolUseFn.WithGenerator {
    UtterancesFn(ToolUseContext ctx) {
      super(STAGE, ctx);
    }

    @Override
    protected Conversation apply(Conversation c, Generator g) throws RejectException {
      List<Turn> turns = g.utterances(c);
      for (Turn t : turns) {
        for (ToolCall call : t.expectedToolCalls()) {
          List<String> v = ctx.validator().violations(call.name(), call.arguments());
          if (!v.isEmpty()) {
            throw new RejectException("call_schema_invalid",
                call.name() + ": " + String.join("; ", v));
          }
        }
      }
      return c.withTurns(turns);
    }
  }
}
