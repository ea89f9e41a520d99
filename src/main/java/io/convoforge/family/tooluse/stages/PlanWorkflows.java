package io.convoforge.family.tooluse.stages;

import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.backend.Generator;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Plan;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.model.ToolUse;
import io.convoforge.family.tooluse.verify.DialogueMetrics;
import org.apache.beam.sdk.values.PCollection;

/**
 * Expands each element's task workflow into plan steps through the backend.
 *
 * <p>In: sampled conversations. Out: the same with {@code plan} set (its calls and its turns) and,
 * in a failure conversation, {@code metadata.failure_cause}. Failures: {@code unknown_task},
 * {@code unknown_tool}, {@code no_failure_mode} (a failure outcome whose workflow has no step
 * that can fail), {@code turns_unreachable} (no plan within the turn range), or a backend's own
 * reasons.
 */
public final class PlanWorkflows extends RecordStage<ToolUse, ToolUse> {
  public static final String STAGE = "plan";
  private final ToolUseContext ctx;

  private PlanWorkflows(ToolUseContext ctx) {
    super("PlanWorkflows");
    this.ctx = ctx;
  }

  public static PlanWorkflows using(ToolUseContext ctx) {
    return new PlanWorkflows(ctx);
  }

  @Override
  public StageResult<ToolUse> expand(PCollection<Record<ToolUse>> input) {
    return applyFn(input, "Plan", new PlanFn(ctx), ctx.backend());
  }

  static final class PlanFn extends ToolUseFn.WithGenerator {
    PlanFn(ToolUseContext ctx) {
      super(STAGE, ctx);
    }

    @Override
    protected Conversation apply(Conversation c, Generator g) throws RejectException {
      Plan plan = g.plan(c);
      Conversation out = c.withPlan(plan);
      for (PlanStep s : plan.steps()) {
        if (s.failing()) {
          // Beside fail_at (the failing tool, for chains), why it fails in the story.
          out = out.withMetadata(DialogueMetrics.CAUSE_KEY, s.cause() == null ? s.failure()
              : s.cause());
        }
      }
      return out;
    }
  }
}
