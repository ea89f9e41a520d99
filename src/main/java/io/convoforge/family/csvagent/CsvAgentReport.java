package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.family.Gate;
import io.convoforge.core.model.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report section {@code csv_agent}, its gate and its summary lines:
 * {@code questions} (every question written, by source and dataset), {@code triangulation}
 * (questions triangulated, verified and unverified, by cause: tied, wrong majority, agreement
 * below the threshold, no answer; agreement mean and distribution; by source and dataset),
 * {@code difficulty} (labelled against observed, per triangulated question), {@code mistakes}
 * (the scripted teacher's planted wrong traces and how many triangulation kept out) and {@code
 * episodes} (accepted, mean SQL steps, share of steps that failed), combined in the pipeline
 * by {@link CsvAgentSummary} from the accepted episodes and the rejected records that carry a
 * question, so unverified questions (which are rejections) count too.
 */
public final class CsvAgentReport {
  public static final String SECTION = "csv_agent";

  private CsvAgentReport() {}

  /**
   * The section from the family's summary ({@link CsvAgentSummary}): questions, triangulation,
   * difficulty, mistakes, episodes, in that order.
   */
  public static Map<String, Object> build(Map<String, Object> summary) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String key : List.of("questions", "triangulation", "difficulty", "mistakes",
        "episodes")) {
      out.put(key, summary.get(key));
    }
    return Map.of(SECTION, out);
  }

  /** {@code verified_share}: at least {@code gates.min_verified_share} (default 0.5). */
  public static List<Gate> gates(Map<String, Object> report, Map<String, Object> config) {
    JsonNode t = Json.tree(report).path(SECTION).path("triangulation");
    double min = config.get("min_verified_share") instanceof Number x ? x.doubleValue() : 0.5;
    List<Gate> gates = new ArrayList<>();
    if (t.path("questions").asLong() > 0) {
      double share = t.path("verified_share").asDouble();
      gates.add(new Gate("verified_share", ">= " + min, String.valueOf(share), share >= min));
    }
    return gates;
  }

  /** The lines run and stats print: verified counts, causes, agreement, planted mistakes. */
  public static List<String> lines(JsonNode report) {
    JsonNode s = report.path(SECTION);
    if (s.isMissingNode()) {
      return List.of();
    }
    JsonNode t = s.path("triangulation");
    List<String> lines = new ArrayList<>();
    List<String> causes = new ArrayList<>();
    t.path("unverified_by_cause").fields().forEachRemaining(
        e -> causes.add(e.getKey() + " " + e.getValue().asLong()));
    lines.add(String.format(Locale.ROOT, "csv-agent: %d questions written; %d triangulated:"
            + " %d verified (%.1f%%), %d unverified%s; mean agreement %.2f",
        s.path("questions").path("total").asLong(), t.path("questions").asLong(),
        t.path("verified").asLong(), 100 * t.path("verified_share").asDouble(),
        t.path("unverified").asLong(), causes.isEmpty() ? "" : " (" + String.join(", ", causes)
            + ")", t.path("mean_agreement").asDouble()));
    StringBuilder by = new StringBuilder("  by source:");
    t.path("by_source").fields().forEachRemaining(e -> by.append(String.format(Locale.ROOT,
        " %s %d/%d verified (agreement %.2f);", e.getKey(), e.getValue().path("verified")
            .asLong(), e.getValue().path("questions").asLong(),
        e.getValue().path("mean_agreement").asDouble())));
    if (t.path("by_source").size() > 0) {
      lines.add(by.substring(0, by.length() - 1));
    }
    JsonNode m = s.path("mistakes");
    if (m.path("planted").asLong() > 0) {
      lines.add(String.format(Locale.ROOT, "  planted wrong traces: %d, kept out by"
          + " triangulation %d", m.path("planted").asLong(), m.path("kept_out").asLong()));
    }
    return lines;
  }

  private static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }
}
