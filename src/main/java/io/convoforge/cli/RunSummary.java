package io.convoforge.cli;

import io.convoforge.core.run.Job;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The few lines {@code run} prints at the end: what was accepted and rejected (the top
 * reasons), the gates, the LLM cost, where the files are, and the commands to go on with
 * ({@code view}, {@code export}, {@code gates}).
 */
final class RunSummary {
  private RunSummary() {}

  /**
   * Whether stderr is a terminal: the launcher says ({@code -Dconvoforge.stderr.tty}, from
   * {@code [ -t 2 ]}); without it, whether the JVM has a console.
   */
  static boolean stderrIsTerminal() {
    String p = System.getProperty("convoforge.stderr.tty");
    return p != null ? "1".equals(p) || "true".equals(p) : System.console() != null;
  }

  /** The summary of a finished run, with the family's own {@code lines} before the next steps. */
  static void print(Job.Result r, List<String> lines, PrintStream out) {
    Map<String, Object> rep = r.report();
    out.printf("Wrote %s%n  sampled %s, accepted %s, rejected %s%s%n", r.location(),
        rep.get("sampled"), rep.get("accepted"), rep.get("rejected_total"),
        topReasons(rep.get("rejected")));
    if (rep.get("gates") instanceof Map<?, ?> g) {
      List<?> failed = (List<?>) g.get("failed");
      int total = g.get("gates") instanceof Map<?, ?> all ? all.size() : 0;
      out.println(failed == null || failed.isEmpty() ? "  gates: all " + total + " passed"
          : "  gates: FAILED " + failed + " (of " + total + "); see the report");
    }
    if (rep.get("llm") instanceof Map<?, ?> llm && llm.get("total") instanceof Map<?, ?> t) {
      out.printf(Locale.ROOT, "  LLM: %s calls (%s cached), %s tokens in / %s out, $%.4f"
              + " estimated%n", t.get("calls"), t.get("cache_hits"), t.get("tokens_in"),
          t.get("tokens_out"), ((Number) t.get("est_cost_usd")).doubleValue());
    }
    out.printf("  %.1f s in the pipeline (%s sampled/s); files: conversations*.jsonl,"
            + " rejected*.jsonl, report.json%n", r.pipelineSeconds(),
        ((Map<?, ?>) rep.get("timing")).get("sampled_per_second"));
    if (rep.get("top_up") instanceof Map<?, ?> t) {
      out.printf("  --accepted %s: %s accepted from %s candidates in %d rounds%s%n",
          t.get("target"), t.get("accepted"), t.get("candidates_used"),
          ((List<?>) t.get("rounds")).size(), Boolean.TRUE.equals(t.get("budget_exhausted"))
              ? "; the candidate budget (" + t.get("max_candidates") + ") ran out" : "");
    }
    lines.forEach(l -> out.println("  " + l));
    if (r.out() == null) {
      // On another file system (gs://...) view, export and gates take a local copy.
      return;
    }
    String dir = r.out().toString();
    out.printf("Next:%n  ./convoforge view %s            # HTML report and conversation"
        + " browser%n  ./convoforge export %s --format openai|sharegpt|parquet|hf%n"
        + "  ./convoforge gates %s%n", dir, dir, dir);
  }

  /** ": reason n, reason n, reason n (and k more)" by count, or "". */
  static String topReasons(Object rejected) {
    if (!(rejected instanceof Map<?, ?> m) || m.isEmpty()) {
      return "";
    }
    List<Map.Entry<?, ?>> e = new ArrayList<>(m.entrySet());
    e.sort(Comparator.comparingLong((Map.Entry<?, ?> x) -> ((Number) x.getValue()).longValue())
        .reversed().thenComparing(x -> String.valueOf(x.getKey())));
    StringBuilder sb = new StringBuilder(": ");
    for (int i = 0; i < Math.min(3, e.size()); i++) {
      sb.append(i == 0 ? "" : ", ").append(e.get(i).getKey()).append(' ')
          .append(e.get(i).getValue());
    }
    if (e.size() > 3) {
      sb.append(" (and ").append(e.size() - 3).append(" more reasons)");
    }
    return sb.toString();
  }
}
