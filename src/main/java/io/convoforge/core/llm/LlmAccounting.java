package io.convoforge.core.llm;

import java.io.Closeable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.runners.core.metrics.MetricsContainerImpl;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The {@code llm} section of report.json, read from the finished pipelines' metrics ({@link
 * CallMeter}): per stage and in total, calls, retries, 429s, cache hits, repaired answers,
 * tokens in/out, throttled seconds, call latency (mean, min, max in ms) and the estimated cost
 * in US dollars (prices per 1M tokens from the profile; batch answers at the batch price, so the
 * cost is the run's). In batch mode also the {@code batch} section ({@link BatchMeter}):
 * batches, requests, resubmitted, failed, answered, follow-ups sent online, polls, wait seconds,
 * tokens and cost at the batch price. A metric's stage is the recipe stage whose transform its
 * step belongs to.
 * Committed values where the runner has them, attempted otherwise; summed over several
 * pipelines (the rounds of {@code run --accepted}).
 */
public final class LlmAccounting {
  private LlmAccounting() {}

  /**
   * Adds {@code llm} to the report when the runs made or cached any LLM call, and {@code batch}
   * when a stage ran in batch mode; {@code stageOf} maps a stage transform's name (the first part
   * of a step name) to the recipe's stage name.
   */
  public static void addTo(Map<String, Object> report, List<PipelineResult> results,
      Map<String, String> stageOf) {
    Map<String, Object> llm = section(results, CallMeter.NAMESPACE, stageOf, LLM, "throttled_ms",
        "throttled_seconds");
    if (llm != null) {
      report.put("llm", llm);
    }
    Map<String, Object> batch = section(results, BatchMeter.NAMESPACE, stageOf, BATCH, "wait_ms",
        "wait_seconds");
    if (batch != null) {
      report.put("batch", batch);
    }
  }

  private static final String[] LLM = {"calls", "retries", "rate_limited", "cache_hits",
      "repaired", "tokens_in", "tokens_out"};
  private static final String[] BATCH = {"batches", "requests", "resubmitted", "failed",
      "answered", "online", "polls", "tokens_in", "tokens_out"};

  /**
   * {@code stages} and {@code total} of the counters in {@code namespace} ({@code keys} shown as
   * zero when absent; {@code msName} in milliseconds shown as {@code secondsName}; cost in
   * micro-dollars as {@code est_cost_usd}), or null when no stage reported any.
   */
  private static Map<String, Object> section(List<PipelineResult> results, String namespace,
      Map<String, String> stageOf, String[] keys, String msName, String secondsName) {
    Map<String, Map<String, Object>> stages = new TreeMap<>();
    Map<String, Object> total = zeros(keys, secondsName);
    Map<String, double[]> latency = new TreeMap<>();
    for (PipelineResult result : results) {
      MetricQueryResults q;
      try {
        q = result.metrics().queryMetrics(MetricsFilter.builder()
            .addNameFilter(MetricNameFilter.inNamespace(namespace)).build());
      } catch (RuntimeException e) {
        continue;
      }
      for (MetricResult<Long> c : q.getCounters()) {
        String what = c.getName().getName();
        long v = value(c);
        Object shown = v;
        if (msName.equals(what)) {
          what = secondsName;
          shown = v / 1000.0;
        } else if ("cost_micro_usd".equals(what)) {
          what = "est_cost_usd";
          shown = v / 1e6;
        }
        String stage = stage(c.getKey().stepName(), stageOf);
        stages.computeIfAbsent(stage, k -> zeros(keys, secondsName))
            .merge(what, shown, LlmAccounting::add);
        total.merge(what, shown, LlmAccounting::add);
      }
      for (MetricResult<DistributionResult> d : q.getDistributions()) {
        DistributionResult v = d.getAttempted();
        if (v != null && v.getCount() > 0) {
          double[] sumCount = latency.computeIfAbsent(
              stage(d.getKey().stepName(), stageOf) + "\t" + d.getName().getName(),
              k -> new double[] {0, 0, Double.MAX_VALUE, 0});
          sumCount[0] += v.getSum();
          sumCount[1] += v.getCount();
          sumCount[2] = Math.min(sumCount[2], v.getMin());
          sumCount[3] = Math.max(sumCount[3], v.getMax());
        }
      }
    }
    latency.forEach((k, v) -> {
      String[] p = k.split("\t");
      if (stages.containsKey(p[0])) {
        stages.get(p[0]).put(p[1] + "_mean", Math.round(v[0] / v[1] * 10) / 10.0);
        stages.get(p[0]).put(p[1] + "_min", (long) v[2]);
        stages.get(p[0]).put(p[1] + "_max", (long) v[3]);
      }
    });
    if (stages.isEmpty()) {
      return null;
    }
    Map<String, Object> out = new TreeMap<>();
    out.put("stages", stages);
    out.put("total", total);
    return out;
  }

  /**
   * The same figures for calls made outside a pipeline (the {@code eval} command's agents and
   * judge): the threads that call run inside {@link #scope()}, and {@link #totals()} reads what
   * their {@link CallMeter}s counted, in the shape of the report's {@code llm.total}.
   */
  public static final class Tally {
    private final MetricsContainerImpl container = new MetricsContainerImpl("local");

    /** Counts this thread's LLM metrics into the tally until closed. */
    public Closeable scope() {
      return MetricsEnvironment.scopedMetricsContainer(container);
    }

    public Map<String, Object> totals() {
      Map<String, Object> m = zeros(LLM, "throttled_seconds");
      for (String what : List.of("calls", "retries", "rate_limited", "cache_hits", "repaired",
          "tokens_in", "tokens_out", "throttled_ms", "cost_micro_usd")) {
        Long v = container.getCounter(MetricName.named(CallMeter.NAMESPACE, what))
            .getCumulative();
        long n = v == null ? 0 : v;
        if ("throttled_ms".equals(what)) {
          m.put("throttled_seconds", n / 1000.0);
        } else if ("cost_micro_usd".equals(what)) {
          m.put("est_cost_usd", n / 1e6);
        } else {
          m.put(what, n);
        }
      }
      return m;
    }
  }

  private static String stage(String step, Map<String, String> stageOf) {
    int slash = step.indexOf('/');
    String top = slash < 0 ? step : step.substring(0, slash);
    return stageOf.getOrDefault(top, top);
  }

  private static Map<String, Object> zeros(String[] keys, String secondsName) {
    Map<String, Object> m = new TreeMap<>();
    for (String k : keys) {
      m.put(k, 0L);
    }
    m.put(secondsName, 0.0);
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
