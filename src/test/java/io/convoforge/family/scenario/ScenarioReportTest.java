package io.convoforge.family.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.family.Gate;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code scenario} section and its balance gate from the summary's per-batch counts (as
 * they come back from the pipeline's JSON: batch indexes as strings, counts as numbers).
 */
class ScenarioReportTest {
  private static final PromptSpec ES = Fixtures.spec(Fixtures.ES);
  private static final ScenarioSettings SETTINGS = new ScenarioSettings(Fixtures.ES.toString(),
      "random", null, 14, "none", null, null);

  /** Batch 0 as planned; batch 1 with one scenario's calls moved to another. */
  private static Map<String, Object> summary(ScenarioPlan plan, boolean skew) {
    Map<String, Object> byBatch = new LinkedHashMap<>();
    for (int b = 0; b < plan.batches(); b++) {
      Map<String, Object> counts = new LinkedHashMap<>();
      for (Scenario s : plan.scenarios(b)) {
        counts.merge(s.id(), 1L, (x, y) -> (Long) x + (Long) y);
      }
      if (skew && b == 1) {
        List<Scenario> all = ES.scenarios();
        String from = all.get(0).id();
        String to = all.get(1).id();
        long moved = (Long) counts.remove(from);
        counts.merge(to, moved, (x, y) -> (Long) x + (Long) y);
      }
      byBatch.put(String.valueOf(b), counts);
    }
    return Map.of("by_batch", byBatch);
  }

  private static Gate gate(ScenarioPlan plan, Map<String, Object> summary) {
    return ScenarioReport.balanceGate(plan, Map.of(ScenarioReport.SECTION,
        ScenarioReport.build(plan, SETTINGS, summary)));
  }

  @Test
  void aBalancedRunPassesAndAnUnbalancedBatchIsNamed() {
    ScenarioPlan plan = ScenarioPlan.random(ES, 7, 2 * 2 * ES.scenarios().size(),
        2 * ES.scenarios().size());
    Map<String, Object> section = ScenarioReport.build(plan, SETTINGS, summary(plan, false));
    assertEquals(2, section.get("batches"));
    assertEquals(0L, section.get("incomplete_batches"));
    assertEquals(ES.scenarios().size(), ((Map<?, ?>) section.get("by_scenario")).size());
    assertTrue(gate(plan, summary(plan, false)).passed());
    Gate skewed = gate(plan, summary(plan, true));
    assertFalse(skewed.passed());
    assertEquals("max spread 4 in " + plan.batchId(1), skewed.actual());
  }

  @Test
  void fixedModeCountsCallsUnderAnotherScenario() {
    String fixed = ES.scenarios().get(0).id();
    ScenarioPlan plan = ScenarioPlan.fixed(ES, fixed, 7, 10, 5);
    Map<String, Object> ok = Map.of("by_batch", Map.of("0", Map.of(fixed, 5L), "1",
        Map.of(fixed, 4L)));
    Gate passed = gate(plan, ok);
    assertTrue(passed.passed(), passed.actual());
    assertEquals(1L, ScenarioReport.build(plan, SETTINGS, ok).get("incomplete_batches"));
    Map<String, Object> other = Map.of("by_batch", Map.of("0", Map.of(fixed, 5L), "1",
        Map.of(ES.scenarios().get(1).id(), 2L, fixed, 3L)));
    Gate failed = gate(plan, other);
    assertFalse(failed.passed());
    assertEquals("2 calls under another scenario", failed.actual());
  }
}
