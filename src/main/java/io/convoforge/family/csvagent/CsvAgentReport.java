package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.family.Gate;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.run.DatasetDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report section {@code csv_agent}, its gate and its summary lines, from a dataset's files:
 * {@code questions} (every question written, by source and dataset), {@code triangulation}
 * (questions triangulated, verified and unverified, by cause: tied, wrong majority, agreement
 * below the threshold, no answer; agreement mean and distribution; by source and dataset),
 * {@code difficulty} (labelled against observed, per triangulated question), {@code mistakes}
 * (the scripted teacher's planted wrong traces and how many triangulation kept out) and {@code
 * episodes} (accepted, mean SQL steps, share of steps that failed). A question's verdict is read
 * from whichever record carries it: the accepted episode, or a rejected trace or episode of any
 * later stage, so unverified questions (which are rejections) count too.
 */
public final class CsvAgentReport {
  public static final String SECTION = "csv_agent";

  private CsvAgentReport() {}

  /** What is known of one triangulated question. */
  private record Verdict(String source, String dataset, Difficulty labelled, Verification v) {}

  @SuppressWarnings("unchecked")
  public static Map<String, Object> build(Path dir, Iterable<Record<?>> accepted) {
    Map<String, Verdict> verdicts = new TreeMap<>();
    long acceptedCount = 0;
    long steps = 0;
    long failedSteps = 0;
    long planted = 0;
    long plantedKept = 0;
    for (Record<?> raw : accepted) {
      CsvItem p = ((Record<CsvItem>) raw).payload();
      acceptedCount++;
      if (p.trace() != null) {
        steps += p.trace().size();
        failedSteps += p.trace().stream().filter(s -> !s.ok()).count();
      }
      if (p.mistake() != null) {
        planted++;
        plantedKept++;
      }
      note(verdicts, p);
    }
    for (Rejected r : DatasetDir.rejected(dir)) {
      JsonNode payload = r.element() == null ? null : r.element().get("payload");
      if (payload == null || !payload.has("question")) {
        continue;
      }
      CsvItem p = Json.MAPPER.convertValue(payload, CsvItem.class);
      if (p.mistake() != null) {
        planted++;
      }
      note(verdicts, p);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("questions", questions(dir));
    out.put("triangulation", triangulation(verdicts.values()));
    out.put("difficulty", difficulty(verdicts.values()));
    Map<String, Object> mistakes = new LinkedHashMap<>();
    mistakes.put("planted", planted);
    mistakes.put("in_accepted", plantedKept);
    mistakes.put("kept_out", planted - plantedKept);
    out.put("mistakes", mistakes);
    Map<String, Object> episodes = new LinkedHashMap<>();
    episodes.put("accepted", acceptedCount);
    episodes.put("mean_steps", acceptedCount == 0 ? 0 : round((double) steps / acceptedCount));
    episodes.put("failed_step_share", steps == 0 ? 0 : round((double) failedSteps / steps));
    out.put("episodes", episodes);
    return Map.of(SECTION, out);
  }

  private static void note(Map<String, Verdict> verdicts, CsvItem p) {
    if (p.question() != null && p.verification() != null) {
      Question q = p.question();
      verdicts.putIfAbsent(q.id(), new Verdict(q.source(), q.dataset().file(), q.difficulty(),
          p.verification()));
    }
  }

  private static Map<String, Object> questions(Path dir) {
    Map<String, Long> bySource = new TreeMap<>();
    Map<String, Long> byDataset = new TreeMap<>();
    long[] total = {0};
    for (Path f : DatasetDir.files(dir, "questions*.jsonl")) {
      DatasetDir.lines(f, line -> {
        if (!line.isBlank()) {
          Question q = QuestionsFile.parse(line);
          total[0]++;
          bySource.merge(q.source(), 1L, Long::sum);
          byDataset.merge(q.dataset().file(), 1L, Long::sum);
        }
      });
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("total", total[0]);
    m.put("by_source", bySource);
    m.put("by_dataset", byDataset);
    return m;
  }

  private static Map<String, Object> triangulation(Iterable<Verdict> verdicts) {
    Map<String, Object> m = counts(verdicts, v -> true);
    Map<String, Object> bySource = new TreeMap<>();
    Map<String, Object> byDataset = new TreeMap<>();
    for (Verdict v : verdicts) {
      bySource.computeIfAbsent(v.source(), s -> counts(verdicts, x -> x.source().equals(s)));
      byDataset.computeIfAbsent(v.dataset(), d -> counts(verdicts, x -> x.dataset().equals(d)));
    }
    Map<String, Long> causes = new TreeMap<>();
    Map<String, Long> histogram = new TreeMap<>();
    for (Verdict v : verdicts) {
      Verification x = v.v();
      histogram.merge(Math.round(x.agreement() * x.n()) + "/" + x.n(), 1L, Long::sum);
      if (!x.verified()) {
        causes.merge(cause(x), 1L, Long::sum);
      }
    }
    m.put("unverified_by_cause", causes);
    m.put("agreement_histogram", histogram);
    m.put("by_source", bySource);
    m.put("by_dataset", byDataset);
    return m;
  }

  private static Map<String, Object> counts(Iterable<Verdict> verdicts,
      java.util.function.Predicate<Verdict> which) {
    long n = 0;
    long verified = 0;
    double agreement = 0;
    for (Verdict v : verdicts) {
      if (which.test(v)) {
        n++;
        verified += v.v().verified() ? 1 : 0;
        agreement += v.v().agreement();
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("questions", n);
    m.put("verified", verified);
    m.put("unverified", n - verified);
    m.put("verified_share", n == 0 ? 0 : round((double) verified / n));
    m.put("mean_agreement", n == 0 ? 0 : round(agreement / n));
    return m;
  }

  /** Why a question was not verified. */
  static String cause(Verification v) {
    if (v.majority() == null) {
      return "no_answer";
    }
    if (v.tied()) {
      return "tied";
    }
    return v.groundTruth() != null ? "wrong_majority" : "below_threshold";
  }

  private static Map<String, Object> difficulty(Iterable<Verdict> verdicts) {
    Map<String, Map<String, Long>> m = new TreeMap<>();
    for (Verdict v : verdicts) {
      m.computeIfAbsent(v.labelled().name(), k -> new TreeMap<>())
          .merge(v.v().observedDifficulty().name(), 1L, Long::sum);
    }
    return Map.of("labelled_vs_observed", m);
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
  public static List<String> summary(JsonNode report) {
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
