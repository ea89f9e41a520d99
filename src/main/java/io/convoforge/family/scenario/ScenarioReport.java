package io.convoforge.family.scenario;

import io.convoforge.core.family.Gate;
import io.convoforge.core.model.Record;
import io.convoforge.family.scenario.model.ScenarioCall;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code scenario} section of a run's report (the prompt, the mode, planned and delivered
 * batches, accepted calls by scenario) and the {@code scenario_balance} gate: in random mode each
 * batch's accepted calls spread over the catalogue within ±1 (a batch with fewer slots than
 * scenarios: no scenario twice); in fixed mode every call under the fixed scenario.
 */
final class ScenarioReport {
  private ScenarioReport() {}

  static Map<String, Object> build(ScenarioPlan plan, ScenarioSettings settings,
      Iterable<Record<?>> accepted) {
    PromptSpec spec = plan.spec();
    Map<String, Object> prompt = new LinkedHashMap<>();
    prompt.put("id", spec.id());
    prompt.put("title", spec.title());
    prompt.put("language", spec.language());
    prompt.put("path", settings.prompt());
    Map<String, Long> byScenario = new TreeMap<>();
    Map<Integer, Long> byBatch = new TreeMap<>();
    for (Record<?> r : accepted) {
      byScenario.merge(r.slice(ScenarioCodec.SCENARIO), 1L, Long::sum);
      byBatch.merge(((ScenarioCall) r.payload()).batchIndex(), 1L, Long::sum);
    }
    long incomplete = byBatch.entrySet().stream()
        .filter(e -> e.getValue() < plan.size(e.getKey())).count();
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
    return m;
  }

  static Gate balanceGate(ScenarioPlan plan, Iterable<Record<?>> accepted) {
    if (plan.mode() == ScenarioPlan.Mode.FIXED) {
      long other = 0;
      for (Record<?> r : accepted) {
        other += plan.fixedScenario().equals(r.slice(ScenarioCodec.SCENARIO)) ? 0 : 1;
      }
      return new Gate("scenario_balance", "every call under " + plan.fixedScenario(),
          other + " calls under another scenario", other == 0);
    }
    Map<Integer, Map<String, Integer>> counts = new TreeMap<>();
    for (Record<?> r : accepted) {
      counts.computeIfAbsent(((ScenarioCall) r.payload()).batchIndex(), k -> new TreeMap<>())
          .merge(r.slice(ScenarioCodec.SCENARIO), 1, Integer::sum);
    }
    int worst = 0;
    String where = "";
    for (Map.Entry<Integer, Map<String, Integer>> e : counts.entrySet()) {
      int spread = spread(plan, e.getKey(), e.getValue());
      if (spread > worst) {
        worst = spread;
        where = " in " + plan.batchId(e.getKey());
      }
    }
    return new Gate("scenario_balance", "spread <= 1 per batch",
        "max spread " + worst + where, worst <= 1);
  }

  /** Max minus min count over the catalogue; a batch smaller than it: max count minus one. */
  private static int spread(ScenarioPlan plan, int batch, Map<String, Integer> counts) {
    int max = 0;
    int min = Integer.MAX_VALUE;
    for (Scenario s : plan.spec().scenarios()) {
      int n = counts.getOrDefault(s.id(), 0);
      max = Math.max(max, n);
      min = Math.min(min, n);
    }
    return plan.size(batch) >= plan.spec().scenarios().size() ? max - min : max - 1;
  }
}
