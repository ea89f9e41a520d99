package io.convoforge.family.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.input.InputException;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScenarioPlanTest {
  private static final PromptSpec ES = Fixtures.spec(Fixtures.ES);

  private static Map<String, Integer> counts(List<Scenario> batch) {
    Map<String, Integer> c = new HashMap<>();
    batch.forEach(s -> c.merge(s.id(), 1, Integer::sum));
    return c;
  }

  @Test
  void randomIsBalancedWithinOneInEveryBatch() {
    int s = ES.scenarios().size();
    for (int size : new int[] {7, 8, 13, 25, 100}) {
      for (long seed = 0; seed < 20; seed++) {
        ScenarioPlan plan = ScenarioPlan.random(ES, seed, size * 3, size);
        for (int b = 0; b < plan.batches(); b++) {
          Map<String, Integer> c = counts(plan.scenarios(b));
          assertEquals(s, c.size(), "every scenario appears when the batch has room");
          int min = c.values().stream().mapToInt(Integer::intValue).min().getAsInt();
          int max = c.values().stream().mapToInt(Integer::intValue).max().getAsInt();
          assertTrue(max - min <= 1, "size " + size + " seed " + seed + ": " + c);
        }
      }
    }
  }

  @Test
  void smallBatchesDrawDistinctScenarios() {
    ScenarioPlan plan = ScenarioPlan.random(ES, 3, 4, 4);
    assertEquals(4, new HashSet<>(plan.scenarios(0)).size());
  }

  @Test
  void randomIsDeterministicAndSeedDependent() {
    ScenarioPlan a = ScenarioPlan.random(ES, 42, 50, 25);
    ScenarioPlan b = ScenarioPlan.random(ES, 42, 50, 25);
    assertEquals(a.scenarios(1), b.scenarios(1));
    assertEquals(a.scenario(1, 7), b.scenario(1, 7));
    assertNotEquals(a.scenarios(0), ScenarioPlan.random(ES, 43, 50, 25).scenarios(0));
    assertNotEquals(a.scenarios(0), a.scenarios(1), "batches are shuffled independently");
  }

  @Test
  void fixedUsesOneScenario() {
    ScenarioPlan plan = ScenarioPlan.fixed(ES, "PAGO-01", 1, 10, 4);
    assertEquals(3, plan.batches());
    assertEquals(2, plan.size(2));
    for (int b = 0; b < 3; b++) {
      plan.scenarios(b).forEach(s -> assertEquals("PAGO-01", s.id()));
    }
    assertEquals("PAGO-01", plan.fixedScenario());
  }

  @Test
  void idsAreDeterministicAndFolderSafe() {
    ScenarioPlan r = ScenarioPlan.random(ES, 42, 30, 10);
    String p12 = ES.id().substring(2);
    assertEquals("b-" + p12 + "-random-42-0002", r.batchId(2));
    assertEquals("b-" + p12 + "-fixed-PAGO-01-7-0000",
        ScenarioPlan.fixed(ES, "PAGO-01", 7, 3, 3).batchId(0));
    assertEquals("b-" + p12 + "-random-n5-0000", ScenarioPlan.random(ES, -5, 3, 3).batchId(0));
    assertEquals(r.batchId(2) + "-c0009", ScenarioPlan.conversationId(r.batchId(2), 9));
    assertTrue(r.batchId(2).matches("[A-Za-z0-9._-]+"));
  }

  @Test
  void badPlansAreInputErrors() {
    InputException e = assertThrows(InputException.class,
        () -> ScenarioPlan.fixed(ES, "NOPE", 1, 10, 5));
    assertTrue(e.getMessage().contains("NOPE") && e.getMessage().contains("FACT-01"));
    assertThrows(InputException.class, () -> ScenarioPlan.of(ES, "fixed", null, 1, 10, 5));
    assertThrows(InputException.class, () -> ScenarioPlan.of(ES, "sometimes", null, 1, 10, 5));
    assertThrows(InputException.class, () -> ScenarioPlan.random(ES, 1, 0, 5));
    assertThrows(InputException.class, () -> ScenarioPlan.random(ES, 1, 10, 0));
  }
}
