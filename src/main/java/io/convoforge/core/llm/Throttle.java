package io.convoforge.core.llm;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shard's slice of the run-wide budget: token buckets for requests/minute and tokens/minute
 * and an in-flight cap that shrinks by half on a 429 and grows back by one per window of
 * successes (AIMD). Buckets start empty and hold at most one second of budget, so no minute can
 * exceed the budget by more than that second. One instance per (run, shard) per JVM, shared by
 * every DoFn instance and stage of the run in that JVM.
 */
final class Throttle {
  private static final Map<String, Throttle> SHARED = new ConcurrentHashMap<>();

  private final double rpm;
  private final double tpm;
  private final int maxInFlight;
  private double requests;
  private double tokens;
  private long refilledAt = System.nanoTime();
  private double limit;
  private int inFlight;
  private int successes;

  Throttle(double rpm, double tpm, int maxInFlight) {
    this.rpm = rpm;
    this.tpm = tpm;
    this.maxInFlight = Math.max(1, maxInFlight);
    this.limit = this.maxInFlight;
  }

  /**
   * The throttle of one shard of a run's budget for a provider's settings: the LLM stages and
   * the {@code embed} stage of a run share it when they use the same provider and limits.
   */
  static Throttle forRun(String runId, LlmSettings s, int shard) {
    return forShard(runId + "/" + s.provider() + "/" + s.maxRpm() + "/" + s.maxTpm() + "/"
        + s.maxConcurrency(), shard, s.shards(), s.maxRpm(), s.maxTpm(), s.maxConcurrency());
  }

  /** The throttle of one shard of one run's budget. */
  static Throttle forShard(String budgetId, int shard, int shards, double rpm, double tpm,
      int concurrency) {
    return SHARED.computeIfAbsent(budgetId + "/" + shard,
        k -> new Throttle(rpm / shards, tpm / shards,
            (int) Math.ceil((double) concurrency / shards)));
  }

  /**
   * Blocks until one request and {@code estTokens} tokens fit the budget and a slot is free;
   * returns the milliseconds spent waiting.
   */
  synchronized long acquire(long estTokens) throws InterruptedException {
    long start = System.nanoTime();
    while (true) {
      refill();
      boolean slot = inFlight < Math.max(1, (int) limit);
      boolean req = rpm <= 0 || requests >= 1;
      double need = tpm <= 0 ? 0 : Math.min(estTokens, tpm / 60.0);
      boolean tok = tpm <= 0 || tokens >= need;
      if (slot && req && tok) {
        if (rpm > 0) {
          requests -= 1;
        }
        if (tpm > 0) {
          tokens -= estTokens;
        }
        inFlight++;
        return (System.nanoTime() - start) / 1_000_000;
      }
      long waitMs = 50;
      if (slot && !req) {
        waitMs = (long) Math.ceil((1 - requests) * 60_000 / rpm);
      } else if (slot) {
        waitMs = (long) Math.ceil((need - tokens) * 60_000 / tpm);
      }
      wait(Math.max(1, Math.min(waitMs, 1000)));
    }
  }

  /** A call finished; {@code actualTokens - estTokens} corrects the token bucket. */
  synchronized void release(long estTokens, long actualTokens, boolean ok) {
    inFlight--;
    if (tpm > 0 && actualTokens > 0) {
      tokens += estTokens - actualTokens;
    }
    if (ok && limit < maxInFlight && ++successes >= (int) limit) {
      successes = 0;
      limit = Math.min(maxInFlight, limit + 1);
    }
    notifyAll();
  }

  /** A 429: halve the in-flight cap (at least one) and drain the request bucket. */
  synchronized void rateLimited() {
    limit = Math.max(1, limit / 2);
    successes = 0;
    requests = Math.min(requests, 0);
  }

  synchronized int limit() {
    return (int) limit;
  }

  private void refill() {
    long now = System.nanoTime();
    double minutes = (now - refilledAt) / 60e9;
    refilledAt = now;
    if (rpm > 0) {
      requests = Math.min(Math.max(1, rpm / 60), requests + minutes * rpm);
    }
    if (tpm > 0) {
      tokens = Math.min(tpm / 60, tokens + minutes * tpm);
    }
  }
}
