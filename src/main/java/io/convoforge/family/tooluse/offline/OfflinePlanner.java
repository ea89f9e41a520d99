package io.convoforge.family.tooluse.offline;

import io.convoforge.core.model.RejectException;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Plan;
import io.convoforge.family.tooluse.recipe.Task;
import io.convoforge.family.tooluse.schema.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Plans a conversation: the workflow's steps over entity handles ({@code Client#1}), the
 * dialogue's own calls around them and its turns ({@link ScriptPlanner}). In a failure
 * conversation one workflow step (the chain's {@code fail_at}, else one drawn among those that
 * can fail) is given a cause drawn once by the recipe's weights among those its tool and table
 * allow ({@link Causes}). The number of turns comes from the moves chosen: a plan outside the
 * recipe's turn range is drawn again, with fewer optional moves when it was too long and more
 * when too short; after {@link #KEEP_CAUSE} attempts the cause is drawn again too; after {@link
 * #ATTEMPTS} the element is rejected ({@code turns_unreachable}), never padded.
 */
final class OfflinePlanner {
  static final int ATTEMPTS = 16;
  /** Attempts that keep the failure's first drawn cause. */
  static final int KEEP_CAUSE = 8;
  private final ToolUseContext ctx;

  OfflinePlanner(ToolUseContext ctx) {
    this.ctx = ctx;
  }

  Plan plan(Conversation c, Random random) throws RejectException {
    List<ToolSpec> specs = workflow(c);
    int failIndex = c.isFailure() ? failIndex(c, specs, random) : -1;
    int min = ctx.recipe().turnsMin();
    int max = Math.max(min, ctx.recipe().turnsMax());
    Causes.Option cause = failIndex < 0 ? null : drawCause(specs.get(failIndex), random);
    double bias = 1.0;
    int last = 0;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt == KEEP_CAUSE && cause != null) {
        // This cause cannot reach the range here: the remaining attempts draw again.
        cause = drawCause(specs.get(failIndex), random);
      }
      Plan p = new ScriptPlanner(ctx, random, bias, min).compose(specs, failIndex, cause);
      last = p.script().size();
      if (last >= min && last <= max) {
        return p;
      }
      bias = last < min ? Math.min(bias * 1.5, 4.0) : bias * 0.6;
    }
    throw new RejectException("turns_unreachable", "task " + c.taskId() + ": no plan of "
        + ATTEMPTS + " reached " + min + ".." + max + " turns (the last had " + last + ")");
  }

  private List<ToolSpec> workflow(Conversation c) throws RejectException {
    Task task = ctx.tasks().get(c.taskId());
    if (task == null) {
      throw new RejectException("unknown_task", "no task " + c.taskId() + " in the tasks file");
    }
    List<ToolSpec> out = new ArrayList<>();
    for (String tool : task.workflow()) {
      ToolSpec spec = ctx.tools().get(tool);
      if (spec == null) {
        throw new RejectException("unknown_tool", "workflow names unknown tool " + tool);
      }
      out.add(spec);
    }
    return out;
  }

  private Causes.Option drawCause(ToolSpec spec, Random random) {
    return Causes.draw(Causes.options(spec, ctx.schema().table(spec.table()), ctx.schema()),
        ctx.failures(), random);
  }

  private boolean canFail(ToolSpec spec) {
    return Causes.possible(Causes.options(spec, ctx.schema().table(spec.table()), ctx.schema()),
        ctx.failures());
  }

  private int failIndex(Conversation c, List<ToolSpec> specs, Random random)
      throws RejectException {
    Object failAt = c.metadata().get("fail_at");
    if (failAt != null) {
      for (int i = 0; i < specs.size(); i++) {
        if (specs.get(i).name().equals(String.valueOf(failAt))) {
          if (!canFail(specs.get(i))) {
            break;
          }
          return i;
        }
      }
      throw new RejectException("no_failure_mode",
          "fail_at " + failAt + " is not a step of the workflow that can fail");
    }
    List<Integer> failable = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      if (canFail(specs.get(i))) {
        failable.add(i);
      }
    }
    if (failable.isEmpty()) {
      List<String> names = specs.stream().map(ToolSpec::name).toList();
      throw new RejectException("no_failure_mode",
          "no step of workflow " + names + " can fail on execution");
    }
    return failable.get(random.nextInt(failable.size()));
  }
}
