package io.convoforge.stages;

import io.convoforge.backend.Generator;
import io.convoforge.model.Conversation;
import io.convoforge.model.Rejected;
import io.convoforge.model.ToolCall;
import io.convoforge.model.Turn;
import java.util.List;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes each conversation's turns through the backend. Re-validates every call the dialogue
 * contains, so no schema-invalid call can reach the output (agents trained on it would learn it).
 *
 * <p>In: conversations with arguments. Out: with {@code turns}. Failures: {@code
 * plan_inconsistent} (a call does not behave as planned), {@code call_schema_invalid}, or a
 * backend's reasons.
 */
public final class WriteUtterances extends ConversationStage {
  public static final String STAGE = "utterances";
  private final StageContext ctx;

  private WriteUtterances(StageContext ctx) {
    super("WriteUtterances");
    this.ctx = ctx;
  }

  public static WriteUtterances using(StageContext ctx) {
    return new WriteUtterances(ctx);
  }

  @Override
  public WithFailures.Result<PCollection<Conversation>, Rejected> expand(
      PCollection<Conversation> input) {
    return applyFn(input, "Utterances", new UtterancesFn(ctx));
  }

  static final class UtterancesFn extends BackendFn {
    UtterancesFn(StageContext ctx) {
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
