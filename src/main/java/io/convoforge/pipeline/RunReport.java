package io.convoforge.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.model.Json;
import io.convoforge.util.Seeds;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The run report, computed from the files a run wrote (so it holds on every runner): sampled,
 * accepted and rejected counts overall, by reason, stage, task, chain and outcome; the proof
 * {@code sampled == accepted + sum(rejected)}; turn statistics, judge scores and the text's
 * distinct-bigram ratio (on a deterministic sample of at most 5,000 conversations).
 */
public final class RunReport {
  private static final int BIGRAM_SAMPLE = 5000;

  private RunReport() {}

  /** Counts for one slice (a task, a chain, an outcome). */
  static final class Slice {
    long sampled;
    long accepted;
    long rejected;

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sampled", sampled);
      m.put("accepted", accepted);
      m.put("rejected", rejected);
      return m;
    }
  }

  public static Map<String, Object> build(Path dir, Map<String, Object> header) {
    Map<String, Slice> byTask = new TreeMap<>();
    Map<String, Slice> byChain = new TreeMap<>();
    Map<String, Slice> byOutcome = new TreeMap<>();
    long[] sampled = {0};
    for (Path f : files(dir, FileSinks.SAMPLED_PREFIX + "*.tsv")) {
      lines(f, line -> {
        String[] p = line.split("\t");
        long n = Long.parseLong(p[3]);
        sampled[0] += n;
        slice(byTask, p[0]).sampled += n;
        if (!p[1].isEmpty()) {
          slice(byChain, p[1]).sampled += n;
        }
        slice(byOutcome, p[2]).sampled += n;
      });
    }
    long[] accepted = {0};
    long[] turnsTotal = {0};
    long[] turnsMin = {Long.MAX_VALUE};
    long[] turnsMax = {0};
    double[] scoreTotal = {0};
    List<Path> convFiles = files(dir, "conversations*.jsonl");
    for (Path f : convFiles) {
      lines(f, line -> {
        JsonNode c = parse(line);
        accepted[0]++;
        slice(byTask, c.path("task_id").asText()).accepted++;
        if (c.hasNonNull("chain_id")) {
          slice(byChain, c.get("chain_id").asText()).accepted++;
        }
        slice(byOutcome, c.path("outcome").asText()).accepted++;
        int turns = c.path("turns").size();
        turnsTotal[0] += turns;
        turnsMin[0] = Math.min(turnsMin[0], turns);
        turnsMax[0] = Math.max(turnsMax[0], turns);
        scoreTotal[0] += c.path("judgement").path("score").asDouble(0);
      });
    }
    Map<String, Long> byReason = new TreeMap<>();
    Map<String, Long> byStage = new TreeMap<>();
    long[] rejected = {0};
    long[] judgeFailed = {0};
    for (Path f : files(dir, "rejected*.jsonl")) {
      lines(f, line -> {
        JsonNode r = parse(line);
        rejected[0]++;
        String reason = r.path("reason").asText();
        byReason.merge(reason, 1L, Long::sum);
        byStage.merge(r.path("stage").asText(), 1L, Long::sum);
        if (reason.startsWith("judge_")) {
          judgeFailed[0]++;
        }
        slice(byTask, r.path("task_id").asText()).rejected++;
        if (r.hasNonNull("chain_id")) {
          slice(byChain, r.get("chain_id").asText()).rejected++;
        }
        slice(byOutcome, r.path("outcome").asText()).rejected++;
      });
    }
    Map<String, Object> report = new LinkedHashMap<>(header);
    report.put("sampled", sampled[0]);
    report.put("accepted", accepted[0]);
    report.put("rejected", byReason);
    report.put("rejected_total", rejected[0]);
    report.put("rejected_by_stage", byStage);
    if (byStage.containsKey("dedup")
        || String.valueOf(header.get("stages")).contains("dedup")) {
      Map<String, Long> removed = new TreeMap<>();
      byReason.forEach((k, v) -> {
        if (k.startsWith("near_duplicate:")) {
          removed.put(k.substring("near_duplicate:".length()), v);
        }
      });
      report.put("dedup", Map.of("removed_by_method", removed));
    }
    Map<String, Object> invariant = new LinkedHashMap<>();
    invariant.put("holds", sampled[0] == accepted[0] + rejected[0]);
    invariant.put("sampled", sampled[0]);
    invariant.put("accepted_plus_rejected", accepted[0] + rejected[0]);
    report.put("invariant", invariant);
    report.put("by_task", toMaps(byTask));
    report.put("by_outcome", toMaps(byOutcome));
    if (!byChain.isEmpty()) {
      report.put("by_chain", toMaps(byChain));
    }
    Map<String, Object> turns = new LinkedHashMap<>();
    turns.put("min", accepted[0] == 0 ? 0 : turnsMin[0]);
    turns.put("max", turnsMax[0]);
    turns.put("mean", accepted[0] == 0 ? 0 : round((double) turnsTotal[0] / accepted[0]));
    report.put("turns", turns);
    Map<String, Object> judge = new LinkedHashMap<>();
    long judged = accepted[0] + judgeFailed[0];
    judge.put("pass_rate", judged == 0 ? 0 : round((double) accepted[0] / judged));
    judge.put("mean_score_accepted", accepted[0] == 0 ? 0 : round(scoreTotal[0] / accepted[0]));
    report.put("judge", judge);
    report.put("text", bigrams(convFiles, accepted[0]));
    return report;
  }

  /** Distinct word bigrams / all bigrams over user and assistant text. */
  static Map<String, Object> bigrams(List<Path> files, long total) {
    long every = Math.max(1, (total + BIGRAM_SAMPLE - 1) / BIGRAM_SAMPLE);
    Set<String> distinct = new HashSet<>();
    long[] all = {0};
    long[] used = {0};
    for (Path f : files) {
      lines(f, line -> {
        JsonNode c = parse(line);
        if (Math.floorMod(Seeds.hash(c.path("id").asText()), every) != 0) {
          return;
        }
        used[0]++;
        for (JsonNode t : c.path("turns")) {
          for (String text : new String[] {t.path("user").asText(""),
              t.path("expected_response").path("text").asText("")}) {
            String[] w = text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+");
            for (int i = 0; i + 1 < w.length; i++) {
              if (w[i].isEmpty() || w[i + 1].isEmpty()) {
                continue;
              }
              all[0]++;
              distinct.add(w[i] + ' ' + w[i + 1]);
            }
          }
        }
      });
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("distinct_bigram_ratio", all[0] == 0 ? 0 : round((double) distinct.size() / all[0]));
    m.put("distinct_bigrams", distinct.size());
    m.put("bigrams", all[0]);
    m.put("conversations_measured", used[0]);
    return m;
  }

  private static Map<String, Object> toMaps(Map<String, Slice> slices) {
    Map<String, Object> out = new TreeMap<>();
    slices.forEach((k, v) -> out.put(k, v.toMap()));
    return out;
  }

  private static Slice slice(Map<String, Slice> m, String key) {
    return m.computeIfAbsent(key, k -> new Slice());
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }

  private static JsonNode parse(String line) {
    try {
      return Json.MAPPER.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<Path> files(Path dir, String glob) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
      ds.forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(null);
    return out;
  }

  static void lines(Path f, Consumer<String> each) {
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          each.accept(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
