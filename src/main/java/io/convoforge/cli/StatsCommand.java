package io.convoforge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.input.InputException;
import io.convoforge.core.run.DatasetDir;
import io.convoforge.core.run.Job;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code convoforge stats DIR}: a run's funnel (stage by stage: in, created, out, rejected by
 * reason), pass rates (the judge's and each criterion's) and the family's report sections (those
 * {@code family_sections} names, printed generically), from its report.json, for any family.
 */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Prints a run's funnel and pass rates (judge, each criterion, each rejection"
        + " reason) from DIR/report.json, for any recipe family.")
public final class StatsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Override
  public Integer call() {
    JsonNode report = DatasetDir.report(dir);
    if (report == null) {
      throw new InputException(dir.toString(), null,
          "has no report.json; expected a directory written by 'convoforge run'");
    }
    print(report, System.out);
    return 0;
  }

  /** Prints the funnel and pass rates of a report. */
  static void print(JsonNode report, PrintStream out) {
    out.printf("%s (%s), backend %s, seed %s: sampled %s, accepted %s, rejected %s%n",
        report.path("recipe").asText(), report.path("kind").asText("tool-use"),
        report.path("backend").asText(), report.path("seed").asText(),
        report.path("sampled").asText(), report.path("accepted").asText(),
        report.path("rejected_total").asText());
    out.printf("%nfunnel%n%-14s %8s %8s %8s %8s  %s%n", "stage", "in", "created", "out",
        "rejected", "reasons");
    for (JsonNode e : report.path("funnel")) {
      out.printf("%-14s %8d %8d %8d %8d  %s%s%n", e.path("stage").asText(), e.path("in").asLong(),
          e.path("created").asLong(), e.path("out").asLong(), e.path("rejected_total").asLong(),
          reasons(e.path("rejected"), e.path("in").asLong() + e.path("created").asLong()),
          e.path("holds").asBoolean(true) ? "" : "  (NOT CONSERVED)");
    }
    JsonNode judge = report.path("judge");
    if (judge.has("pass_rate")) {
      out.printf("%njudge pass rate %.1f%%, mean score of accepted %.3f%n",
          100 * judge.path("pass_rate").asDouble(), judge.path("mean_score_accepted").asDouble());
      Iterator<Map.Entry<String, JsonNode>> it = judge.path("criteria").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> c = it.next();
        out.printf("  %-28s %6.1f%%  (%d of %d)%n", c.getKey(),
            100 * c.getValue().path("pass_rate").asDouble(), c.getValue().path("passed").asLong(),
            c.getValue().path("judged").asLong());
      }
    }
    for (JsonNode name : report.path(Job.FAMILY_SECTIONS)) {
      out.printf("%n%s%n", name.asText());
      section("  ", report.path(name.asText()), out);
    }
    JsonNode gates = report.path("gates");
    if (gates.has("passed")) {
      out.printf("%ngates: %s%n", gates.path("passed").asBoolean() ? "all passed"
          : "failed " + gates.path("failed"));
    }
  }

  /**
   * A family's report section, generically: one line a scalar or a list, nested objects
   * indented under their key.
   */
  static void section(String indent, JsonNode node, PrintStream out) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isObject() && v.size() > 0) {
        out.printf("%s%s%n", indent, e.getKey());
        section(indent + "  ", v, out);
      } else {
        out.printf("%s%-30s %s%n", indent, e.getKey(), v.isTextual() ? v.asText() : v);
      }
    }
  }

  /** Rejection reasons with their share of what entered the stage. */
  private static String reasons(JsonNode rejected, long entered) {
    StringBuilder sb = new StringBuilder();
    Iterator<Map.Entry<String, JsonNode>> it = rejected.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> r = it.next();
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(r.getKey()).append(' ').append(r.getValue().asLong()).append(String.format(
          " (%.1f%%)", entered == 0 ? 0 : 100.0 * r.getValue().asLong() / entered));
    }
    return sb.toString();
  }
}
