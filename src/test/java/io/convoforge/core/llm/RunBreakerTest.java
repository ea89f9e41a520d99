package io.convoforge.core.llm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The run-wide breaker counts only an unbroken streak of one permanent error. */
class RunBreakerTest {
  @Test
  void aSuccessOrAnotherErrorBreaksTheStreak() {
    RunBreaker b = RunBreaker.forRun("breaker-" + System.nanoTime());
    for (int i = 0; i < 4; i++) {
      b.permanent("openai", "plan", "HTTP 401", 5);
    }
    b.success();
    for (int i = 0; i < 4; i++) {
      b.permanent("openai", "plan", "HTTP 401", 5);
    }
    b.permanent("openai", "plan", "HTTP 404", 5);
    for (int i = 0; i < 3; i++) {
      b.permanent("openai", "args", "HTTP 404", 5);
    }
    RunStoppedException e = assertThrows(RunStoppedException.class,
        () -> b.permanent("openai", "args", "HTTP 404", 5));
    assertTrue(e.getMessage().contains("HTTP 404") && e.getMessage().contains("llm.model"),
        e.getMessage());
  }

  @Test
  void zeroNeverStops() {
    RunBreaker b = RunBreaker.forRun("breaker-" + System.nanoTime());
    for (int i = 0; i < 100; i++) {
      b.permanent("gemini", "plan", "HTTP 401", 0);
    }
  }
}
