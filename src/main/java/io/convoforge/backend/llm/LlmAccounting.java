package io.convoforge.backend.llm;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The {@code llm} section of report.json, read from the finished pipeline's metrics ({@link
 * CallMeter}): per stage and in total, calls, retries, 429s, cache hits, repaired answers,
 * tokens in/out, throttled seconds and the estimated cost in US dollars (prices per 1M tokens
 * from the profile). Committed values where the runner has them, attempted otherwise.
 */
public final class LlmAccounting {
  private LlmAccounting() {}

  /** Adds {@code llm} to the report when the run made or cached any LLM call. */
  public static void addTo(Map<String, Object> report, PipelineResult result) {
    if (result == null) {
      return;
    }
    MetricQueryResults q;
    try {
      q = result.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.inNamespace(CallMeter.NAMESPACE)).build());
    } catch (RuntimeException e) {
      return;
    }
    Map<String, Map<String, Object>> stages = new TreeMap<>();
    Map<String, Object> total = zeros();
    for (MetricResult<Long> c : q.getCounters()) {
      String name = c.getName().getName();
      int us = name.indexOf('_');
      if (us < 0) {
        continue;
      }
      String stage = name.substring(0, us);
      String what = name.substring(us + 1);
      long v = value(c);
      Object shown = v;
      if ("throttled_ms".equals(what)) {
        what = "throttled_seconds";
        shown = v / 1000.0;
      } else if ("cost_micro_usd".equals(what)) {
        what = "est_cost_usd";
        shown = v / 1e6;
      }
      Map<String, Object> s = stages.computeIfAbsent(stage, k -> zeros());
      s.merge(what, shown, LlmAccounting::add);
      total.merge(what, shown, LlmAccounting::add);
    }
    for (MetricResult<DistributionResult> d : q.getDistributions()) {
      String name = d.getName().getName();
      int us = name.indexOf('_');
      DistributionResult v = d.getAttempted();
      if (us > 0 && stages.containsKey(name.substring(0, us)) && v != null && v.getCount() > 0) {
        stages.get(name.substring(0, us)).put(name.substring(us + 1) + "_mean",
            Math.round(v.getMean() * 10) / 10.0);
      }
    }
    if (stages.isEmpty()) {
      return;
    }
    Map<String, Object> llm = new TreeMap<>();
    llm.put("stages", stages);
    llm.put("total", total);
    report.put("llm", llm);
  }

  private static Map<String, Object> zeros() {
    Map<String, Object> m = new TreeMap<>();
    for (String k : new String[] {"calls", "retries", "rate_limited", "cache_hits", "repaired",
        "tokens_in", "tokens_out"}) {
      m.put(k, 0L);
    }
    m.put("throttled_seconds", 0.0);
    m.put("est_cost_usd", 0.0);
    return m;
  }

  private static long value(MetricResult<Long> c) {
    try {
      Long v = c.getCommitted();
      return v == null ? c.getAttempted() : v;
    } catch (UnsupportedOperationException e) {
      return c.getAttempted();
    }
  }

  private static Object add(Object a, Object b) {
    if (a instanceof Long && b instanceof Long) {
      return (Long) a + (Long) b;
    }
    return Math.round((((Number) a).doubleValue() + ((Number) b).doubleValue()) * 1e6) / 1e6;
  }
}
