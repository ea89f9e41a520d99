package io.convoforge.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The live status line: stage counts, rate, ETA only when it can be known, LLM accounting. */
class ProgressTest {
  static final List<String> STAGES = List.of("sample", "plan", "judge", "filter");

  @Test
  void showsEveryStageTheRateAndAnEta() {
    String line = Progress.format(new Progress.Snapshot(STAGES, new long[] {1000, 800, 600, 500},
        new long[] {0, 0, 0, 100}, new long[4], 10, 1000L, 0, 0, 0, 0));
    // 600 finished (500 out of the last stage, 100 rejected) in 10 s: 60/s, 400 to go.
    assertEquals("[0:10] sample 1000 › plan 800 › judge 600 › filter 500 (−100) | 60.0/s"
        + " | ETA 0:07", line);
  }

  @Test
  void noEtaWithoutATotalOrWhenAStageFansOut() {
    long[] out = {10, 30, 30, 30};
    assertFalse(Progress.format(new Progress.Snapshot(STAGES, out, new long[4], new long[4], 5,
        null, 0, 0, 0, 0)).contains("ETA"));
    assertFalse(Progress.format(new Progress.Snapshot(STAGES, out, new long[4],
        new long[] {10, 20, 0, 0}, 5, 100L, 0, 0, 0, 0)).contains("ETA"));
  }

  @Test
  void llmCallsTokensCostAndThrottlingWhenThereAreCalls() {
    String line = Progress.format(new Progress.Snapshot(STAGES, new long[] {5, 5, 5, 5},
        new long[4], new long[4], 3725, 5L, 1234, 56_789, 0.0421, 12.5));
    assertTrue(line.startsWith("[1:02:05] "), line);
    assertTrue(line.endsWith("| LLM 1234 calls, 57k tokens, $0.0421, throttled 12.5 s"), line);
  }

  @Test
  void silentUnlessConfigured() {
    Progress.configure(null, false);
    Progress p = Progress.start(STAGES, 10L, "DirectRunner");
    p.stop();
    assertEquals("12k", Progress.count(12_345));
    assertEquals("9999", Progress.count(9_999));
    assertTrue(Progress.waiting(65, "FlinkRunner").startsWith("[1:05] running on FlinkRunner"));
  }
}
