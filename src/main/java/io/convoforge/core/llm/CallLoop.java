package io.convoforge.core.llm;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToLongFunction;

/**
 * The loop every remote call goes through, whether it generates or embeds: take a slot and the
 * estimated tokens from the shard's {@link Throttle}, call, give the slot back with the tokens
 * actually billed; on a 429 count it, halve the shard's concurrency and wait Retry-After (or
 * back off exponentially); on 5xx, timeouts and I/O errors back off exponentially with jitter;
 * up to {@code max_attempts}. The cache is the caller's: it looks before and writes after.
 *
 * <p>Failures: a {@link LlmException.Kind#PERMANENT} error is rethrown at once; when the
 * attempts run out, an {@link LlmException} of the last error's kind saying so.
 */
final class CallLoop {
  /** One attempt of the call. */
  interface Attempt<T> {
    T call() throws LlmException;
  }

  private CallLoop() {}

  /** Runs {@code attempt} under the throttle with retries; {@code billed} reads its tokens. */
  static <T> T run(LlmSettings s, Throttle throttle, CallMeter meter, long estTokens,
      Attempt<T> attempt, ToLongFunction<T> billed) throws LlmException {
    String last = null;
    LlmException.Kind lastKind = LlmException.Kind.TRANSIENT;
    for (int n = 1; n <= s.maxAttempts(); n++) {
      long waited;
      try {
        waited = throttle.acquire(estTokens);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while throttled", e);
      }
      meter.throttled(waited);
      T result = null;
      long backoff = 0;
      try {
        meter.calls.inc();
        long t0 = System.nanoTime();
        result = attempt.call();
        meter.latency.update((System.nanoTime() - t0) / 1_000_000);
      } catch (LlmException e) {
        last = e.getMessage();
        lastKind = e.kind();
        if (e.kind() == LlmException.Kind.PERMANENT) {
          throw e;
        }
        if (e.kind() == LlmException.Kind.RATE_LIMITED) {
          meter.rateLimited.inc();
          throttle.rateLimited();
        }
        backoff = e.retryAfterMillis() >= 0 ? e.retryAfterMillis()
            : Math.min(60_000, s.backoffMillis() << Math.min(n - 1, 10))
                + ThreadLocalRandom.current().nextLong(1 + s.backoffMillis());
      } finally {
        throttle.release(estTokens, result == null ? 0 : billed.applyAsLong(result),
            result != null);
      }
      if (result != null) {
        return result;
      }
      if (n < s.maxAttempts()) {
        meter.retries.inc();
        if (backoff > 0) {
          try {
            Thread.sleep(backoff);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in backoff", e);
          }
          meter.throttled(backoff);
        }
      }
    }
    throw new LlmException(lastKind, "gave up after " + s.maxAttempts()
        + " attempts; last error: " + last, -1);
  }
}
