package io.convoforge.family.tooluse;

import io.convoforge.core.family.Gate;
import io.convoforge.core.run.Gates;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.recipe.Stratum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tool-use family's gates (recipe {@code gates:}, defaults in brackets), from its report
 * section {@code tool_use} ({@link ToolUseSummary}): the success share within {@code
 * success_ratio_tolerance} [0.02] of the plan; each task's share within {@code
 * task_share_tolerance} [0.05] of the plan (the weights, or the chain counts); at most {@code
 * max_execution_failures} [0] execution failures on a sandbox replay of every conversation; at
 * most {@code max_empty_response_share} [0.0] empty expected responses.
 */
final class ToolUseGates {
  private ToolUseGates() {}

  @SuppressWarnings("unchecked")
  static List<Gate> evaluate(Map<String, Object> stats, List<Stratum> strata,
      Map<String, Object> cfg) {
    long n = number(stats.get("conversations"));
    List<Gate> gates = new ArrayList<>();
    double tol = Gates.number(cfg.get("success_ratio_tolerance"), 0.02);
    long planned = strata.stream().mapToLong(Stratum::count).sum();
    double plannedSuccess = planned == 0 ? 0 : strata.stream()
        .filter(s -> Conversation.SUCCESS.equals(s.outcome())).mapToLong(Stratum::count).sum()
        / (double) planned;
    double share = n == 0 ? 0 : number(stats.get("success")) / (double) n;
    gates.add(new Gate("success_ratio", Gates.pct(plannedSuccess) + " ± " + Gates.pts(tol),
        Gates.pct(share), Math.abs(share - plannedSuccess) <= tol + 1e-9));

    double taskTol = Gates.number(cfg.get("task_share_tolerance"), 0.05);
    Map<String, Double> plannedTask = new TreeMap<>();
    for (Stratum s : strata) {
      plannedTask.merge(s.taskId(), s.count() / (double) Math.max(planned, 1), Double::sum);
    }
    Map<String, Object> perTask = (Map<String, Object>) stats.getOrDefault("tasks", Map.of());
    Map<String, Double> all = new TreeMap<>(plannedTask);
    perTask.keySet().forEach(k -> all.putIfAbsent(k, 0.0));
    String worst = "-";
    double worstDiff = 0;
    for (String task : all.keySet()) {
      double actual = n == 0 ? 0 : number(perTask.get(task)) / (double) n;
      double d = Math.abs(plannedTask.getOrDefault(task, 0.0) - actual);
      if (d > worstDiff) {
        worstDiff = d;
        worst = task;
      }
    }
    gates.add(new Gate("task_distribution", "each task ± " + Gates.pts(taskTol),
        "worst " + worst + " off by " + Gates.pts(worstDiff), worstDiff <= taskTol + 1e-9));

    long maxFailures = cfg.get("max_execution_failures") instanceof Number m ? m.longValue() : 0;
    long failures = number(stats.get("execution_failures"));
    gates.add(new Gate("execution", "<= " + maxFailures + " failures", failures
        + " failures in " + number(stats.get("failed_conversations")) + " conversations",
        failures <= maxFailures));

    double maxEmpty = Gates.number(cfg.get("max_empty_response_share"), 0.0);
    long turns = number(stats.get("turns"));
    long empty = number(stats.get("empty_responses"));
    double emptyShare = turns == 0 ? 0 : empty / (double) turns;
    gates.add(new Gate("empty_responses", "<= " + Gates.pct(maxEmpty),
        Gates.pct(emptyShare) + " (" + empty + " of " + turns + " turns)",
        emptyShare <= maxEmpty + 1e-12));
    return gates;
  }

  private static long number(Object v) {
    return v instanceof Number x ? x.longValue() : 0;
  }
}
