package io.convoforge.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The in-flight cap's AIMD arithmetic (no rate limits, so nothing waits). */
class ThrottleTest {
  @Test
  void a429HalvesTheCapAndSuccessesGrowItBackByOne() throws Exception {
    Throttle t = new Throttle(0, 0, 8);
    assertEquals(8, t.limit());
    t.rateLimited();
    assertEquals(4, t.limit());
    t.rateLimited();
    t.rateLimited();
    t.rateLimited();
    assertEquals(1, t.limit(), "never below one");
    for (int i = 0; i < 1; i++) {
      t.acquire(10);
      t.release(10, 10, true);
    }
    assertEquals(2, t.limit(), "one cap's worth of successes adds one");
    for (int i = 0; i < 2; i++) {
      t.acquire(10);
      t.release(10, 10, true);
    }
    assertEquals(3, t.limit());
  }

  @Test
  void shardsSplitTheRunBudget() {
    Throttle a = Throttle.forShard("run-x", 0, 4, 600, 0, 8);
    Throttle b = Throttle.forShard("run-x", 0, 4, 600, 0, 8);
    assertEquals(a, b, "one throttle per (run, shard) per JVM");
    assertEquals(2, a.limit(), "8 in flight over 4 shards");
  }
}
