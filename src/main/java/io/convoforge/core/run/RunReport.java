package io.convoforge.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Judgement;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.stages.Judging;
import io.convoforge.core.util.Seeds;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The run report's core sections, computed from the files a run wrote (so it holds on every
 * runner): the {@link Funnel} stage by stage and the proof that nothing was lost; sampled,
 * accepted and rejected counts overall, by reason, by stage and by slice; turn statistics (in
 * the family's turns); the judge's pass rate and each criterion's pass rate over every judged
 * dialogue; the text's distinct-bigram ratio (on a deterministic sample of at most 5,000
 * records). Families add their sections ({@code FamilyRun#report}).
 */
public final class RunReport {
  private static final int BIGRAM_SAMPLE = 5000;

  private RunReport() {}

  /** Counts for one slice value. */
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

  /** Criterion pass counts. */
  static final class Passes {
    long passed;
    long judged;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Map<String, Object> build(Path dir, Map<String, Object> header,
      Iterable<Record<?>> accepted, Judging<?> judging) {
    Map<String, Long> counts = Funnel.read(dir);
    List<Funnel.Entry> funnel = Funnel.entries(counts);
    Map<String, Map<String, Slice>> slices = new TreeMap<>();
    Funnel.sourceSlices(counts).forEach((key, values) -> values.forEach((v, n) ->
        slice(slices, key, v).sampled += n));
    Map<String, Passes> criteria = new TreeMap<>();
    long acceptedCount = 0;
    long turnsTotal = 0;
    long turnsMin = Long.MAX_VALUE;
    long turnsMax = 0;
    double scoreTotal = 0;
    Judging raw = judging;
    for (Record<?> r : accepted) {
      acceptedCount++;
      r.slice().forEach((k, v) -> slice(slices, k, v).accepted++);
      int turns = raw.turns(r);
      turnsTotal += turns;
      turnsMin = Math.min(turnsMin, turns);
      turnsMax = Math.max(turnsMax, turns);
      if (r.judgement() != null) {
        scoreTotal += r.judgement().score();
        count(criteria, r.judgement());
      }
    }
    Map<String, Long> byReason = new TreeMap<>();
    Map<String, Long> byStage = new TreeMap<>();
    long rejected = 0;
    long judgeFailed = 0;
    for (Rejected r : DatasetDir.rejected(dir)) {
      rejected++;
      byReason.merge(r.reason(), 1L, Long::sum);
      byStage.merge(r.stage(), 1L, Long::sum);
      if (r.reason().startsWith("judge_")) {
        judgeFailed++;
      }
      r.slice().forEach((k, v) -> slice(slices, k, v).rejected++);
      JsonNode j = r.element() == null ? null : r.element().get("judgement");
      if (j != null && j.isObject()) {
        count(criteria, io.convoforge.core.model.Json.MAPPER.convertValue(j, Judgement.class));
      }
    }
    long sampled = funnel.isEmpty() ? 0 : funnel.get(0).out();
    Map<String, Object> report = new LinkedHashMap<>(header);
    report.put("sampled", sampled);
    report.put("accepted", acceptedCount);
    report.put("rejected", byReason);
    report.put("rejected_total", rejected);
    report.put("rejected_by_stage", byStage);
    report.put("funnel", funnel.stream().map(Funnel.Entry::toMap).toList());
    report.put("invariant", invariant(funnel, acceptedCount, rejected));
    Map<String, Long> removed = new TreeMap<>();
    byReason.forEach((k, v) -> {
      if (k.startsWith("near_duplicate:")) {
        removed.put(k.substring("near_duplicate:".length()), v);
      }
    });
    if (byStage.containsKey("dedup")
        || String.valueOf(header.get("stages")).contains("dedup")) {
      report.put("dedup", Map.of("removed_by_method", removed));
    }
    Map<String, Object> sliceMaps = new TreeMap<>();
    slices.forEach((k, m) -> {
      Map<String, Object> values = new TreeMap<>();
      m.forEach((v, s) -> values.put(v, s.toMap()));
      sliceMaps.put(k, values);
    });
    report.put("slices", sliceMaps);
    Map<String, Object> turns = new LinkedHashMap<>();
    turns.put("min", acceptedCount == 0 ? 0 : turnsMin);
    turns.put("max", turnsMax);
    turns.put("mean", acceptedCount == 0 ? 0 : round((double) turnsTotal / acceptedCount));
    report.put("turns", turns);
    Map<String, Object> judge = new LinkedHashMap<>();
    long judged = acceptedCount + judgeFailed;
    judge.put("pass_rate", judged == 0 ? 0 : round((double) acceptedCount / judged));
    judge.put("mean_score_accepted", acceptedCount == 0 ? 0 : round(scoreTotal / acceptedCount));
    Map<String, Object> byCriterion = new TreeMap<>();
    criteria.forEach((k, p) -> {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("passed", p.passed);
      c.put("judged", p.judged);
      c.put("pass_rate", round((double) p.passed / p.judged));
      byCriterion.put(k, c);
    });
    judge.put("criteria", byCriterion);
    report.put("judge", judge);
    report.put("text", bigrams(accepted, acceptedCount));
    return report;
  }

  /**
   * The proof that nothing was lost: every funnel stage conserves its elements, the last
   * stage's output is what was accepted, and its rejections are what was written.
   */
  static Map<String, Object> invariant(List<Funnel.Entry> funnel, long accepted, long rejected) {
    long created = funnel.stream().mapToLong(Funnel.Entry::created).sum();
    long counted = funnel.stream().mapToLong(Funnel.Entry::rejectedTotal).sum();
    List<String> failing = funnel.stream().filter(e -> !e.holds()).map(Funnel.Entry::stage)
        .toList();
    long last = funnel.isEmpty() ? 0 : funnel.get(funnel.size() - 1).out();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("holds", !funnel.isEmpty() && failing.isEmpty() && last == accepted
        && counted == rejected && created == accepted + rejected);
    m.put("sampled", funnel.isEmpty() ? 0 : funnel.get(0).out());
    m.put("created", created);
    m.put("accepted_plus_rejected", accepted + rejected);
    m.put("stages_not_conserving", failing);
    m.put("last_stage_out", last);
    m.put("rejected_written", rejected);
    m.put("rejected_counted", counted);
    return m;
  }

  private static void count(Map<String, Passes> criteria, Judgement j) {
    if (j.criteria() == null) {
      return;
    }
    j.criteria().forEach((k, c) -> {
      Passes p = criteria.computeIfAbsent(k, x -> new Passes());
      p.judged++;
      if (c.passed()) {
        p.passed++;
      }
    });
  }

  /** Distinct word bigrams / all bigrams over the dialogue's text (tool messages left out). */
  static Map<String, Object> bigrams(Iterable<Record<?>> records, long total) {
    long every = Math.max(1, (total + BIGRAM_SAMPLE - 1) / BIGRAM_SAMPLE);
    Set<String> distinct = new HashSet<>();
    long all = 0;
    long used = 0;
    for (Record<?> r : records) {
      if (Math.floorMod(Seeds.hash(r.id()), every) != 0) {
        continue;
      }
      used++;
      for (Message m : r.messages()) {
        if (Message.TOOL.equals(m.role()) || Message.SYSTEM.equals(m.role())
            || m.text() == null) {
          continue;
        }
        String[] w = m.text().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+");
        for (int i = 0; i + 1 < w.length; i++) {
          if (w[i].isEmpty() || w[i + 1].isEmpty()) {
            continue;
          }
          all++;
          distinct.add(w[i] + ' ' + w[i + 1]);
        }
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("distinct_bigram_ratio", all == 0 ? 0 : round((double) distinct.size() / all));
    m.put("distinct_bigrams", distinct.size());
    m.put("bigrams", all);
    m.put("conversations_measured", used);
    return m;
  }

  private static Slice slice(Map<String, Map<String, Slice>> m, String key, String value) {
    return m.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(value, v -> new Slice());
  }

  static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
