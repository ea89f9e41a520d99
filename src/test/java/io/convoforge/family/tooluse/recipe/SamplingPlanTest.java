package io.convoforge.family.tooluse.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.TestSupport;
import io.convoforge.core.input.InputException;
import io.convoforge.core.run.Inputs;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplingPlanTest {
  @Test
  void largestRemainderSumsToNAndStaysWithinOneOfExact() {
    double[] w = {0.26, 0.14, 0.07, 0.09, 0.333, 0.107};
    for (int n : new int[] {1, 7, 100, 1001}) {
      int[] c = SamplingPlan.largestRemainder(w, n);
      int sum = 0;
      double total = 0;
      for (double x : w) {
        total += x;
      }
      for (int i = 0; i < w.length; i++) {
        sum += c[i];
        assertTrue(Math.abs(c[i] - w[i] / total * n) < 1.0, "cell " + i + " n " + n);
      }
      assertEquals(n, sum);
    }
  }

  @Test
  void weightedPlanMatchesWeightsAndFailureShare() {
    Inputs in = TestSupport.inputs(TestSupport.CRM, 1000);
    Map<String, Task> tasks = TestSupport.run(in).tasks();
    int failures = 0;
    for (Stratum s : TestSupport.run(in).strata()) {
      if (s.outcome().equals("failure")) {
        failures += s.count();
      }
    }
    assertEquals(400, failures);
    for (Task t : tasks.values()) {
      int n = TestSupport.run(in).strata().stream().filter(s -> s.taskId().equals(t.id()))
          .mapToInt(Stratum::count).sum();
      assertTrue(Math.abs(n - t.weight() * 1000) <= 1.0, t.id() + " " + n);
    }
  }

  @Test
  void chainTableIsExactAndScalable() {
    Inputs exact = TestSupport.inputs(TestSupport.CHAINS, null);
    assertEquals(1000, TestSupport.run(exact).sampleCount());
    assertEquals(262, TestSupport.run(exact).strata().get(0).count());
    Inputs scaled = TestSupport.inputs(TestSupport.CHAINS, 100);
    assertEquals(100, TestSupport.run(scaled).sampleCount());
    assertEquals(26, TestSupport.run(scaled).strata().get(0).count());
  }

  @Test
  void chainNamingAnUnknownTaskOrAStepOutsideItsWorkflowIsNamed() {
    InputException e = assertThrows(InputException.class, () -> TestSupport.inputs(
        TestSupport.CHAINS, null, "chains=[{id: X, task: T999, outcome: success, count: 1},"
            + " {id: Y, task: T002, outcome: failure, count: 1, fail_at: delete_user}]"));
    assertTrue(e.getMessage().contains("field chains[0] (X).task: unknown task 'T999'"),
        e.getMessage());
    assertTrue(e.getMessage().contains("'delete_user' is not a step of task T002"),
        e.getMessage());
  }
}
