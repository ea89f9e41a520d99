package io.convoforge.family.tooluse;

import io.convoforge.core.family.Gate;
import io.convoforge.core.model.Record;
import io.convoforge.core.run.Gates;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.ToolUse;
import io.convoforge.family.tooluse.model.Turn;
import io.convoforge.family.tooluse.recipe.Stratum;
import io.convoforge.family.tooluse.sandbox.Replayer;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.ToolSpec;
import io.convoforge.family.tooluse.schema.Tools;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tool-use family's gates (recipe {@code gates:}, defaults in brackets): the success share
 * within {@code success_ratio_tolerance} [0.02] of the plan; each task's share within {@code
 * task_share_tolerance} [0.05] of the plan (the weights, or the chain counts); at most {@code
 * max_execution_failures} [0] execution failures on a sandbox replay of every conversation (in
 * parallel, a batch at a time); at most {@code max_empty_response_share} [0.0] empty expected
 * responses.
 */
final class ToolUseGates {
  /** Conversations replayed at once (in parallel) by the execution gate. */
  static final int REPLAY_BATCH = 2000;

  private ToolUseGates() {}

  static List<Gate> evaluate(Iterable<Record<?>> accepted, List<Stratum> strata,
      TablesSchema schema, Map<String, Object> cfg) {
    Map<String, ToolSpec> tools = Tools.derive(schema);
    ThreadLocal<Replayer> replayers = ThreadLocal.withInitial(() -> new Replayer(schema, tools));
    long n = 0;
    long success = 0;
    Map<String, Long> perTask = new TreeMap<>();
    long turns = 0;
    long empty = 0;
    long failures = 0;
    long failedConvs = 0;
    List<Conversation> batch = new ArrayList<>(REPLAY_BATCH);
    for (Record<?> r : accepted) {
      @SuppressWarnings("unchecked")
      Conversation c = ToolUseCodec.view((Record<ToolUse>) r);
      n++;
      success += c.isFailure() ? 0 : 1;
      perTask.merge(c.taskId(), 1L, Long::sum);
      for (Turn t : c.turns()) {
        turns++;
        if (t.responseText() == null || t.responseText().isBlank()) {
          empty++;
        }
      }
      batch.add(c);
      if (batch.size() == REPLAY_BATCH) {
        long[] f = replay(batch, replayers);
        failures += f[0];
        failedConvs += f[1];
        batch.clear();
      }
    }
    long[] f = replay(batch, replayers);
    failures += f[0];
    failedConvs += f[1];

    List<Gate> gates = new ArrayList<>();
    double tol = Gates.number(cfg.get("success_ratio_tolerance"), 0.02);
    long planned = strata.stream().mapToLong(Stratum::count).sum();
    double plannedSuccess = planned == 0 ? 0 : strata.stream()
        .filter(s -> Conversation.SUCCESS.equals(s.outcome())).mapToLong(Stratum::count).sum()
        / (double) planned;
    double share = n == 0 ? 0 : success / (double) n;
    gates.add(new Gate("success_ratio", Gates.pct(plannedSuccess) + " ± " + Gates.pts(tol),
        Gates.pct(share), Math.abs(share - plannedSuccess) <= tol + 1e-9));

    double taskTol = Gates.number(cfg.get("task_share_tolerance"), 0.05);
    Map<String, Double> plannedTask = new TreeMap<>();
    for (Stratum s : strata) {
      plannedTask.merge(s.taskId(), s.count() / (double) Math.max(planned, 1), Double::sum);
    }
    Map<String, Double> all = new TreeMap<>(plannedTask);
    long total = n;
    perTask.forEach((k, v) -> all.putIfAbsent(k, 0.0));
    String worst = "-";
    double worstDiff = 0;
    for (String task : all.keySet()) {
      double actual = total == 0 ? 0 : perTask.getOrDefault(task, 0L) / (double) total;
      double d = Math.abs(plannedTask.getOrDefault(task, 0.0) - actual);
      if (d > worstDiff) {
        worstDiff = d;
        worst = task;
      }
    }
    gates.add(new Gate("task_distribution", "each task ± " + Gates.pts(taskTol),
        "worst " + worst + " off by " + Gates.pts(worstDiff), worstDiff <= taskTol + 1e-9));

    long maxFailures = cfg.get("max_execution_failures") instanceof Number m ? m.longValue() : 0;
    gates.add(new Gate("execution", "<= " + maxFailures + " failures",
        failures + " failures in " + failedConvs + " conversations", failures <= maxFailures));

    double maxEmpty = Gates.number(cfg.get("max_empty_response_share"), 0.0);
    double emptyShare = turns == 0 ? 0 : empty / (double) turns;
    gates.add(new Gate("empty_responses", "<= " + Gates.pct(maxEmpty),
        Gates.pct(emptyShare) + " (" + empty + " of " + turns + " turns)",
        emptyShare <= maxEmpty + 1e-12));
    return gates;
  }

  /** Replays a batch (a fresh database each, all cores): failures and failing conversations. */
  private static long[] replay(List<Conversation> batch, ThreadLocal<Replayer> replayers) {
    int[] per = batch.parallelStream().mapToInt(c -> replayers.get().replay(c, false).failures())
        .toArray();
    long failures = 0;
    long failed = 0;
    for (int f : per) {
      failures += f;
      failed += f > 0 ? 1 : 0;
    }
    return new long[] {failures, failed};
  }
}
