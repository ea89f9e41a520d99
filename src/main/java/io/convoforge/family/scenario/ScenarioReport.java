package io.convoforge.family.scenario;

import io.convoforge.core.family.Gate;
import io.convoforge.core.family.Summary;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import io.convoforge.family.scenario.model.ScenarioCall;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code scenario} section of a run's report (the prompt, the mode, planned and delivered
 * batches, accepted calls by scenario, the balance) and the {@code scenario_balance} gate: in
 * random mode each batch's accepted calls spread over the catalogue within ±1 (a batch with
 * fewer slots than scenarios: no scenario twice); in fixed mode every call under the fixed
 * scenario. The counts are combined in the pipeline ({@link Counts}: accepted calls per batch
 * and scenario); the section and the balance are derived from them and the plan.
 */
final class ScenarioReport {
  static final String SECTION = "scenario";
  static final String GATE = "scenario_balance";

  private ScenarioReport() {}

  /** Accepted calls per batch index and scenario id. */
  static final class Counts extends Summary<Record<?>, Counts.Acc> {
    /** Batch index to scenario id to accepted calls. */
    public static final class Acc {
      public TreeMap<Integer, TreeMap<String, Long>> byBatch = new TreeMap<>();
    }

    Counts() {
      super(Acc.class);
    }

    @Override
    public Acc createAccumulator() {
      return new Acc();
    }

    @Override
    public Acc addInput(Acc a, Record<?> r) {
      a.byBatch.computeIfAbsent(((ScenarioCall) r.payload()).batchIndex(), k -> new TreeMap<>())
          .merge(r.slice(ScenarioCodec.SCENARIO), 1L, Long::sum);
      return a;
    }

    @Override
    public Acc mergeAccumulators(Iterable<Acc> accs) {
      Acc out = new Acc();
      for (Acc a : accs) {
        addCounts(out.byBatch, a.byBatch, TreeMap::new);
      }
      return out;
    }

    @Override
    public Map<String, Object> extractOutput(Acc a) {
      return Map.of("by_batch", a.byBatch);
    }
  }

  /** The section, from the plan and the summary's {@code by_batch}. */
  static Map<String, Object> build(ScenarioPlan plan, ScenarioSettings settings,
      Map<String, Object> summary) {
    Map<Integer, Map<String, Long>> byBatch = byBatch(summary);
    PromptSpec spec = plan.spec();
    Map<String, Object> prompt = new LinkedHashMap<>();
    prompt.put("id", spec.id());
    prompt.put("title", spec.title());
    prompt.put("language", spec.language());
    prompt.put("path", settings.prompt());
    Map<String, Long> byScenario = new TreeMap<>();
    byBatch.values().forEach(m -> m.forEach((s, n) -> byScenario.merge(s, n, Long::sum)));
    long incomplete = byBatch.entrySet().stream().filter(e -> e.getValue().values().stream()
        .mapToLong(Long::longValue).sum() < plan.size(e.getKey())).count();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("prompt", prompt);
    m.put("scenario_mode", plan.mode().wire());
    if (plan.fixedScenario() != null) {
      m.put("scenario", plan.fixedScenario());
    }
    m.put("batch_size", plan.batchSize());
    m.put("planned_conversations", plan.count());
    m.put("planned_batches", plan.batches());
    m.put("batches", byBatch.size());
    m.put("incomplete_batches", incomplete);
    m.put("by_scenario", byScenario);
    m.put("balance", balance(plan, byBatch, byScenario));
    return m;
  }

  /**
   * Fixed mode: the calls under another scenario; random mode: the worst batch's spread
   * ({@link #spread}) and which batch it is.
   */
  private static Map<String, Object> balance(ScenarioPlan plan,
      Map<Integer, Map<String, Long>> byBatch, Map<String, Long> byScenario) {
    Map<String, Object> b = new LinkedHashMap<>();
    if (plan.mode() == ScenarioPlan.Mode.FIXED) {
      long other = byScenario.entrySet().stream()
          .filter(e -> !plan.fixedScenario().equals(e.getKey()))
          .mapToLong(Map.Entry::getValue).sum();
      b.put("other_scenario_calls", other);
      return b;
    }
    long worst = 0;
    String where = null;
    for (Map.Entry<Integer, Map<String, Long>> e : byBatch.entrySet()) {
      long spread = spread(plan, e.getKey(), e.getValue());
      if (spread > worst) {
        worst = spread;
        where = plan.batchId(e.getKey());
      }
    }
    b.put("max_spread", worst);
    b.put("worst_batch", where);
    return b;
  }

  static Gate balanceGate(ScenarioPlan plan, Map<String, Object> report) {
    Map<String, Object> balance = Json.MAPPER.convertValue(
        Json.tree(report).path(SECTION).path("balance"), Map.class);
    if (plan.mode() == ScenarioPlan.Mode.FIXED) {
      long other = ((Number) balance.getOrDefault("other_scenario_calls", 0)).longValue();
      return new Gate(GATE, "every call under " + plan.fixedScenario(),
          other + " calls under another scenario", other == 0);
    }
    long worst = ((Number) balance.getOrDefault("max_spread", 0)).longValue();
    Object where = balance.get("worst_batch");
    return new Gate(GATE, "spread <= 1 per batch",
        "max spread " + worst + (where == null ? "" : " in " + where), worst <= 1);
  }

  /** Max minus min count over the catalogue; a batch smaller than it: max count minus one. */
  private static long spread(ScenarioPlan plan, int batch, Map<String, Long> counts) {
    long max = 0;
    long min = Long.MAX_VALUE;
    for (Scenario s : plan.spec().scenarios()) {
      long n = counts.getOrDefault(s.id(), 0L);
      max = Math.max(max, n);
      min = Math.min(min, n);
    }
    return plan.size(batch) >= plan.spec().scenarios().size() ? max - min : max - 1;
  }

  /** The summary's {@code by_batch} as read back from JSON (keys are strings there). */
  @SuppressWarnings("unchecked")
  private static Map<Integer, Map<String, Long>> byBatch(Map<String, Object> summary) {
    Map<Integer, Map<String, Long>> out = new TreeMap<>();
    Map<Object, Map<String, Object>> raw = (Map<Object, Map<String, Object>>)
        summary.getOrDefault("by_batch", Map.of());
    raw.forEach((k, v) -> {
      Map<String, Long> m = new TreeMap<>();
      v.forEach((s, n) -> m.put(s, ((Number) n).longValue()));
      out.put(Integer.valueOf(String.valueOf(k)), m);
    });
    return out;
  }
}
