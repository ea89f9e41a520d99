package io.convoforge.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.family.Summary;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Judgement;
import io.convoforge.core.model.Rejected;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's statistics over the rejections, combined inside the pipeline: the count, by
 * reason, by stage and per slice key and value; the judge's failures; and each criterion's
 * passes over the judged elements that were rejected later (so criterion pass rates cover every
 * judged dialogue).
 */
final class RejectedStats extends Summary<Rejected, RejectedStats.Acc> {
  RejectedStats() {
    super(Acc.class);
  }

  /** The accumulator: plain fields, coded as JSON. */
  public static final class Acc {
    public long rejected;
    public long judgeFailed;
    public Map<String, Long> byReason = new TreeMap<>();
    public Map<String, Long> byStage = new TreeMap<>();
    public Map<String, Map<String, Long>> slices = new TreeMap<>();
    public Map<String, long[]> criteria = new TreeMap<>();
  }

  @Override
  public Acc createAccumulator() {
    return new Acc();
  }

  @Override
  public Acc addInput(Acc a, Rejected r) {
    a.rejected++;
    a.byReason.merge(r.reason(), 1L, Long::sum);
    a.byStage.merge(r.stage(), 1L, Long::sum);
    if (r.reason().startsWith("judge_")) {
      a.judgeFailed++;
    }
    r.slice().forEach((k, v) -> a.slices.computeIfAbsent(k, x -> new TreeMap<>())
        .merge(v, 1L, Long::sum));
    JsonNode j = r.element() == null ? null : r.element().get("judgement");
    if (j != null && j.isObject()) {
      AcceptedStats.count(a.criteria, Json.MAPPER.convertValue(j, Judgement.class));
    }
    return a;
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    Acc out = new Acc();
    for (Acc a : accs) {
      out.rejected += a.rejected;
      out.judgeFailed += a.judgeFailed;
      addCounts(out.byReason, a.byReason);
      addCounts(out.byStage, a.byStage);
      addCounts(out.slices, a.slices, TreeMap::new);
      AcceptedStats.addCriteria(out.criteria, a.criteria);
    }
    return out;
  }

  @Override
  public Map<String, Object> extractOutput(Acc a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rejected", a.rejected);
    m.put("judge_failed", a.judgeFailed);
    m.put("by_reason", a.byReason);
    m.put("by_stage", a.byStage);
    m.put("slices", a.slices);
    m.put("criteria", a.criteria);
    return m;
  }

}
