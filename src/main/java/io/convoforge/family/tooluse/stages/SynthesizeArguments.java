package io.convoforge.family.tooluse.stages;

import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.backend.Generator;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.model.ToolUse;
import java.util.List;
import org.apache.beam.sdk.values.PCollection;

/**
 * Binds each plan's entities to keys and writes the seed rows and every executed call's
 * arguments, through the backend; then validates every argument set against its tool's JSON
 * Schema here, whatever the backend.
 *
 * <p>In: planned conversations. Out: with {@code initial_entities} and step arguments.
 * Failures: {@code args_schema_invalid} (with the violations), or a backend's reasons.
 */
public final class SynthesizeArguments extends RecordStage<ToolUse, ToolUse> {
  public static final String STAGE = "args";
  private final ToolUseContext ctx;

  private SynthesizeArguments(ToolUseContext ctx) {
    super("SynthesizeArguments");
    this.ctx = ctx;
  }

  public static SynthesizeArguments using(ToolUseContext ctx) {
    return new SynthesizeArguments(ctx);
  }

  @Override
  public StageResult<ToolUse> expand(PCollection<Record<ToolUse>> input) {
    return applyFn(input, "Arguments", new ArgumentsFn(ctx), ctx.backend());
  }

  static final class ArgumentsFn extends ToolUseFn.WithGenerator {
    ArgumentsFn(ToolUseContext ctx) {
      super(STAGE, ctx);
    }

    @Override
    protected Conversation apply(Conversation c, Generator g) throws RejectException {
      if (c.plan() == null) {
        throw new RejectException("missing_plan", "the element has no plan; run plan first");
      }
      Conversation out = g.arguments(c);
      for (PlanStep step : out.plan().steps()) {
        if (step.arguments() == null) {
          continue;
        }
        List<String> v = ctx.validator().violations(step.tool(), step.arguments());
        if (!v.isEmpty()) {
          throw new RejectException("args_schema_invalid",
              step.tool() + ": " + String.join("; ", v));
        }
      }
      return out;
    }
  }
}
