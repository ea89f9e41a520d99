package io.convoforge.core.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run report's core sections, assembled from what the pipeline computed (the {@link Funnel}
 * counts and the {@link Summaries} parts), so it holds on every runner and reads no record: the
 * funnel stage by stage and the proof that nothing was lost; sampled, accepted and rejected
 * counts overall, by reason, by stage and by slice; the length distribution (in the family's
 * turns); the judge's pass rate and each criterion's over every judged dialogue; the text's
 * distinct-bigram ratio. Families add their sections ({@code FamilyRun#report}).
 */
public final class RunReport {
  private RunReport() {}

  @SuppressWarnings("unchecked")
  public static Map<String, Object> build(Map<String, Object> header, Map<String, Long> counts,
      Map<String, Object> parts) {
    List<Funnel.Entry> funnel = Funnel.entries(counts);
    Map<String, Object> acc = (Map<String, Object>) parts.getOrDefault(Summaries.ACCEPTED,
        Map.of());
    Map<String, Object> rej = (Map<String, Object>) parts.getOrDefault(Summaries.REJECTED,
        Map.of());
    long accepted = number(acc.get("accepted"));
    long rejected = number(rej.get("rejected"));
    Map<String, Long> byReason = (Map<String, Long>) rej.getOrDefault("by_reason", Map.of());
    Map<String, Long> byStage = (Map<String, Long>) rej.getOrDefault("by_stage", Map.of());
    long sampled = funnel.isEmpty() ? 0 : funnel.get(0).out();
    Map<String, Object> report = new LinkedHashMap<>(header);
    report.put("sampled", sampled);
    report.put("accepted", accepted);
    if (acc.get("ids_digest") != null) {
      report.put("ids_digest", acc.get("ids_digest"));
    }
    report.put("rejected", byReason);
    report.put("rejected_total", rejected);
    report.put("rejected_by_stage", byStage);
    report.put("funnel", funnel.stream().map(Funnel.Entry::toMap).toList());
    report.put("invariant", invariant(funnel, accepted, rejected));
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
    report.put("slices", slices(Funnel.sourceSlices(counts),
        (Map<String, Map<String, Long>>) acc.getOrDefault("slices", Map.of()),
        (Map<String, Map<String, Long>>) rej.getOrDefault("slices", Map.of())));
    report.put("turns", turns((Map<String, Long>) acc.getOrDefault("turns", Map.of()),
        accepted));
    Map<String, Object> judge = new LinkedHashMap<>();
    long judged = accepted + number(rej.get("judge_failed"));
    judge.put("pass_rate", judged == 0 ? 0 : round((double) accepted / judged));
    judge.put("mean_score_accepted", accepted == 0 ? 0
        : round(((Number) acc.getOrDefault("score_sum", 0)).doubleValue() / accepted));
    judge.put("criteria", criteria((Map<String, List<Number>>) acc.getOrDefault("criteria",
        Map.of()), (Map<String, List<Number>>) rej.getOrDefault("criteria", Map.of())));
    report.put("judge", judge);
    report.put("text", acc.getOrDefault("text", Map.of()));
    if (parts.containsKey(Summaries.NEAR_DUPLICATES)) {
      report.put("near_duplicate_pairs", number(parts.get(Summaries.NEAR_DUPLICATES)));
    }
    if (parts.containsKey(Summaries.INVALID)) {
      report.put("invalid_lines", number(parts.get(Summaries.INVALID)));
    }
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

  private static Map<String, Object> slices(Map<String, Map<String, Long>> sampled,
      Map<String, Map<String, Long>> accepted, Map<String, Map<String, Long>> rejected) {
    Map<String, Map<String, Map<String, Object>>> out = new TreeMap<>();
    add(out, sampled, "sampled");
    add(out, accepted, "accepted");
    add(out, rejected, "rejected");
    Map<String, Object> m = new TreeMap<>();
    out.forEach((k, values) -> {
      Map<String, Object> vs = new TreeMap<>();
      values.forEach((v, counts) -> {
        Map<String, Object> c = new LinkedHashMap<>();
        for (String what : List.of("sampled", "accepted", "rejected")) {
          c.put(what, counts.getOrDefault(what, 0L));
        }
        vs.put(v, c);
      });
      m.put(k, vs);
    });
    return m;
  }

  private static void add(Map<String, Map<String, Map<String, Object>>> out,
      Map<String, Map<String, Long>> counts, String what) {
    counts.forEach((k, values) -> values.forEach((v, n) -> out
        .computeIfAbsent(k, x -> new TreeMap<>()).computeIfAbsent(v, x -> new TreeMap<>())
        .put(what, number(n))));
  }

  private static Map<String, Object> turns(Map<String, Long> histogram, long accepted) {
    long min = 0;
    long max = 0;
    double sum = 0;
    boolean first = true;
    Map<String, Object> distribution = new TreeMap<>((a, b) -> Integer.compare(
        Integer.parseInt(a), Integer.parseInt(b)));
    for (Map.Entry<String, Long> e : new TreeMap<>(histogram).entrySet()) {
      long t = Long.parseLong(String.valueOf(e.getKey()));
      long n = number(e.getValue());
      min = first ? t : Math.min(min, t);
      max = Math.max(max, t);
      first = false;
      sum += (double) t * n;
      distribution.put(String.valueOf(t), n);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("min", min);
    m.put("max", max);
    m.put("mean", accepted == 0 ? 0 : round(sum / accepted));
    m.put("distribution", distribution);
    return m;
  }

  private static Map<String, Object> criteria(Map<String, List<Number>> accepted,
      Map<String, List<Number>> rejected) {
    Map<String, long[]> all = new TreeMap<>();
    for (Map<String, List<Number>> m : List.of(accepted, rejected)) {
      m.forEach((k, c) -> {
        long[] p = all.computeIfAbsent(k, x -> new long[2]);
        p[0] += c.get(0).longValue();
        p[1] += c.get(1).longValue();
      });
    }
    Map<String, Object> out = new TreeMap<>();
    all.forEach((k, p) -> {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("passed", p[0]);
      c.put("judged", p[1]);
      c.put("pass_rate", round((double) p[0] / p[1]));
      out.put(k, c);
    });
    return out;
  }

  static long number(Object v) {
    return v instanceof Number n ? n.longValue() : 0;
  }

  static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
