package io.convoforge.family.tooluse.eval;

import io.convoforge.family.tooluse.eval.Evaluator.Score;
import io.convoforge.family.tooluse.eval.Evaluator.TurnResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What {@code eval} writes: one agent's results document (its scores overall, by task, chain
 * and outcome; every conversation's error; cost; and every conversation with its turns, calls,
 * results and the judge's grades) and the side-by-side table of several agents. Rates are
 * shares in 0..1, rounded to four places. {@code pass_rate} is the share that succeeded and,
 * when judged, whose every reply passed every criterion: the figure the {@code difficulty_band}
 * gate checks.
 */
public final class EvalReport {
  private EvalReport() {}

  /** The summary of one agent's scores (judge may be null). */
  public static Map<String, Object> of(String agent, String judge, List<Score> scores) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("agent", agent);
    out.put("judge", judge);
    out.put("overall", aggregate(scores));
    out.put("by_task", group(scores, Score::taskId));
    out.put("by_chain", group(scores, Score::chainId));
    out.put("by_outcome", group(scores, Score::outcome));
    List<Map<String, Object>> errors = new ArrayList<>();
    for (Score s : scores) {
      if (s.error() != null) {
        errors.add(error(s.id(), null, s.error()));
      }
      for (int i = 0; i < s.turns().size(); i++) {
        ReplyJudge.Verdict v = s.turns().get(i).judge();
        if (v != null && v.error() != null) {
          errors.add(error(s.id(), i, "judge: " + v.error()));
        }
      }
    }
    out.put("errors", errors);
    return out;
  }

  /** An error entry, its keys in a fixed order (the results are byte-stable). */
  private static Map<String, Object> error(String id, Integer turn, String error) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    if (turn != null) {
      m.put("turn", turn);
    }
    m.put("error", error);
    return m;
  }

  /** The whole results document: the summary, {@code extra} sections, every conversation. */
  public static Map<String, Object> results(String agent, String judge, List<Score> scores,
      Map<String, Object> extra) {
    Map<String, Object> out = of(agent, judge, scores);
    out.putAll(extra);
    List<Map<String, Object>> convs = new ArrayList<>();
    for (Score s : scores) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", s.id());
      m.put("task_id", s.taskId());
      m.put("chain_id", s.chainId());
      m.put("outcome", s.outcome());
      m.put("passed", s.passed());
      m.put("success", s.success());
      m.put("tool_call_exact_match", s.exactMatch());
      m.put("state_match", s.stateMatch());
      m.put("agent_calls", s.agentCalls());
      m.put("refusals", s.refusals());
      m.put("malformed_calls", s.malformedCalls());
      m.put("error", s.error());
      List<Map<String, Object>> turns = new ArrayList<>();
      for (TurnResult t : s.turns()) {
        Map<String, Object> tm = new LinkedHashMap<>();
        tm.put("reply", t.reply());
        tm.put("calls", t.calls());
        tm.put("results", t.results());
        tm.put("refused", t.refused());
        tm.put("malformed_calls", t.malformedCalls());
        if (t.judge() != null) {
          tm.put("judge", t.judge().error() != null ? Map.of("error", t.judge().error())
              : t.judge().criteria());
        }
        turns.add(tm);
      }
      m.put("turns", turns);
      convs.add(m);
    }
    out.put("conversations", convs);
    return out;
  }

  private static Map<String, Object> group(List<Score> scores, Function<Score, String> key) {
    Map<String, List<Score>> groups = new TreeMap<>();
    for (Score s : scores) {
      String k = key.apply(s);
      if (k != null) {
        groups.computeIfAbsent(k, x -> new ArrayList<>()).add(s);
      }
    }
    Map<String, Object> out = new TreeMap<>();
    groups.forEach((k, v) -> out.put(k, aggregate(v)));
    return out;
  }

  static Map<String, Object> aggregate(List<Score> scores) {
    Map<String, Object> m = new LinkedHashMap<>();
    int n = scores.size();
    m.put("conversations", n);
    m.put("pass_rate", rate(scores.stream().filter(Score::passed).count(), n));
    m.put("success_rate", rate(scores.stream().filter(Score::success).count(), n));
    m.put("tool_call_exact_match", rate(scores.stream().filter(Score::exactMatch).count(), n));
    m.put("state_match", rate(scores.stream().filter(Score::stateMatch).count(), n));
    m.put("errors", scores.stream().filter(s -> s.error() != null).count());
    m.put("refusals", scores.stream().mapToLong(Score::refusals).sum());
    m.put("malformed_calls", scores.stream().mapToLong(Score::malformedCalls).sum());
    long graded = 0;
    long judgeErrors = 0;
    Map<String, Long> passed = new LinkedHashMap<>();
    for (Score s : scores) {
      for (TurnResult t : s.turns()) {
        if (t.judge() == null) {
          continue;
        }
        if (t.judge().error() != null) {
          judgeErrors++;
          continue;
        }
        graded++;
        t.judge().criteria().forEach((k, v) -> passed.merge(k, v.passed() ? 1L : 0L, Long::sum));
      }
    }
    if (graded + judgeErrors > 0) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("replies", graded);
      j.put("errors", judgeErrors);
      for (String k : ReplyJudge.CRITERIA) {
        j.put(k, rate(passed.getOrDefault(k, 0L), (int) graded));
      }
      m.put("judge", j);
    }
    return m;
  }

  private static double rate(long k, int n) {
    return n == 0 ? 0 : Math.round(k * 10000.0 / n) / 10000.0;
  }

  /**
   * Agents side by side: one row per slice (overall, each outcome, task and chain), for each
   * agent pass, success, exact-call and state rates in percent; then each agent's cost.
   */
  @SuppressWarnings("unchecked")
  public static String table(List<Map<String, Object>> reports) {
    StringBuilder sb = new StringBuilder();
    List<String[]> slices = new ArrayList<>();
    slices.add(new String[] {"overall", null, null});
    Map<String, Object> first = reports.get(0);
    for (String group : List.of("by_outcome", "by_task", "by_chain")) {
      for (String k : ((Map<String, Object>) first.get(group)).keySet()) {
        slices.add(new String[] {group.substring(3) + " " + k, group, k});
      }
    }
    sb.append(String.format(Locale.ROOT, "%-22s %6s", "slice", "convs"));
    for (Map<String, Object> r : reports) {
      sb.append(String.format(Locale.ROOT, " | %-27s", r.get("agent")));
    }
    sb.append('\n').append(String.format(Locale.ROOT, "%-22s %6s", "", ""));
    for (int i = 0; i < reports.size(); i++) {
      sb.append(String.format(Locale.ROOT, " | %6s %6s %6s %6s", "pass", "succ", "exact",
          "state"));
    }
    sb.append('\n');
    for (String[] s : slices) {
      Map<String, Object> a0 = slice(first, s);
      sb.append(String.format(Locale.ROOT, "%-22s %6s", s[0], a0.get("conversations")));
      for (Map<String, Object> r : reports) {
        Map<String, Object> a = slice(r, s);
        sb.append(String.format(Locale.ROOT, " | %6s %6s %6s %6s", pct(a, "pass_rate"),
            pct(a, "success_rate"), pct(a, "tool_call_exact_match"), pct(a, "state_match")));
      }
      sb.append('\n');
    }
    for (String line : List.of("agent", "judge")) {
      boolean any = false;
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-29s",
          "cost " + line + " (USD, calls)"));
      for (Map<String, Object> r : reports) {
        Map<String, Object> c = (Map<String, Object>) ((Map<String, Object>) r
            .getOrDefault("cost", Map.of())).get(line);
        any |= c != null && number(c, "calls") + number(c, "cache_hits") > 0;
        row.append(String.format(Locale.ROOT, " | %-27s", c == null ? "-"
            : String.format(Locale.ROOT, "%.4f, %s (+%s cached)", number(c, "est_cost_usd"),
                c.get("calls"), c.get("cache_hits"))));
      }
      if (any) {
        sb.append(row).append('\n');
      }
    }
    return sb.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> slice(Map<String, Object> r, String[] s) {
    if (s[1] == null) {
      return (Map<String, Object>) r.get("overall");
    }
    Object m = ((Map<String, Object>) r.get(s[1])).get(s[2]);
    return m == null ? Map.of() : (Map<String, Object>) m;
  }

  private static String pct(Map<String, Object> a, String k) {
    Object v = a.get(k);
    return v instanceof Number n ? String.format(Locale.ROOT, "%.1f", 100 * n.doubleValue())
        : "-";
  }

  private static double number(Map<String, Object> m, String k) {
    return m.get(k) instanceof Number n ? n.doubleValue() : 0;
  }
}
