package io.convoforge.stages;

import io.convoforge.backend.Generator;
import io.convoforge.model.Conversation;
import io.convoforge.model.Rejected;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;

/**
 * Expands each element's task workflow into plan steps through the backend.
 *
 * <p>In: sampled conversations. Out: the same with {@code plan} set. Failures: {@code
 * unknown_task}, {@code unknown_tool}, {@code no_failure_mode} (a failure outcome whose workflow
 * has no step that can fail), or a backend's own reasons.
 */
public final class PlanWorkflows extends ConversationStage {
  public static final String STAGE = "plan";
  private final StageContext ctx;

  private PlanWorkflows(StageContext ctx) {
    super("PlanWorkflows");
    this.ctx = ctx;
  }

  public static PlanWorkflows using(StageContext ctx) {
    return new PlanWorkflows(ctx);
  }

  @Override
  public WithFailures.Result<PCollection<Conversation>, Rejected> expand(
      PCollection<Conversation> input) {
    return applyFn(input, "Plan", new PlanFn(ctx));
  }

  static final class PlanFn extends BackendFn {
    PlanFn(StageContext ctx) {
      super(STAGE, ctx);
    }

    @Override
    protected Conversation apply(Conversation c, Generator g) throws RejectException {
      return c.withPlan(g.plan(c));
    }
  }
}
