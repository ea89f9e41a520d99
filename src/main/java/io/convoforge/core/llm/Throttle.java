package io.convoforge.core.llm;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One slice of the run-wide budget: token buckets for requests/minute and tokens/minute and an
 * in-flight cap that shrinks by half on a 429 and grows back by one per window of successes
 * (AIMD). Buckets start empty. The request bucket holds at most a tenth of a second's worth
 * ({@link #burst}, at least one request) and refills at the rate less that burst per minute, so
 * no 60-second window holds more than the budget: at most the burst plus a minute's refill. The
 * token bucket holds at most one second of budget (a call's tokens are only known after it). On one machine, one instance per (run, shard) per JVM, each
 * owning 1/shards of the budget, shared by every DoFn instance and stage of the run in that JVM.
 * On a cluster ({@link SharedBudget}), one instance per run per worker JVM, whose {@link #share}
 * of the whole budget follows the number of workers calling at the time.
 */
final class Throttle {
  private static final Map<String, Throttle> SHARED = new ConcurrentHashMap<>();
  static final double CLUSTER_MARGIN = 0.03;

  private final double rpm;
  private final double tpm;
  private final int maxInFlight;
  /** This JVM's fraction of the budget (1 unless a {@link SharedBudget} sets it). */
  private double share = 1;
  /** Whether a {@link SharedBudget} coordinates this throttle with other worker JVMs. */
  private boolean coordinated;
  /**
   * Calls may start until then (nanoTime): always, unless a {@link SharedBudget} holds it shut
   * while joining, or until its view of the other workers is renewed.
   */
  private long openUntil = Long.MAX_VALUE;
  private int waiting;
  private long lastAcquired = System.nanoTime();
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
    String budget = runId + "/" + s.provider() + "/" + s.maxRpm() + "/" + s.maxTpm() + "/"
        + s.maxConcurrency();
    if (SharedBudget.onCluster()) {
      return SHARED.computeIfAbsent(budget + "/worker", k -> SharedBudget.join(budget, s,
          new Throttle(s.maxRpm(), s.maxTpm(), s.maxConcurrency())));
    }
    return forShard(budget, shard, s.shards(), s.maxRpm(), s.maxTpm(), s.maxConcurrency());
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
    waiting++;
    try {
      while (true) {
        refill();
        double rpm = refillRate();
        double tpm = this.tpm * share;
        boolean open = System.nanoTime() < openUntil;
        boolean slot = open && inFlight < cap();
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
          lastAcquired = System.nanoTime();
          return (lastAcquired - start) / 1_000_000;
        }
        long waitMs = open ? 50 : 100;
        if (slot && !req) {
          waitMs = (long) Math.ceil((1 - requests) * 60_000 / rpm);
        } else if (slot) {
          waitMs = (long) Math.ceil((need - tokens) * 60_000 / tpm);
        }
        wait(Math.max(1, Math.min(waitMs, 1000)));
      }
    } finally {
      waiting--;
    }
  }

  /** What the request bucket holds at most: a tenth of a second of this share, at least 1. */
  private double burst() {
    return Math.max(1, rpm * share / 600);
  }

  /**
   * Requests per minute refilled: this share less the burst, so a window never exceeds it. On
   * a cluster also less {@value #CLUSTER_MARGIN} of the share: each worker JVM has its own
   * bucket, and a request acquired in one minute can reach the provider in the next (a cold
   * HTTP client, a busy machine), so the window the provider counts is not the one the buckets
   * filled in, and a run's first seconds come in above the rate (at the stub, 14 calls in the
   * first 5 s of --max-rpm 120 on two TaskManagers, 9 to 10 after). Without the margin that
   * made 121 calls in the first minute; with 2 % 120, twice.
   */
  private double refillRate() {
    double r = rpm * share * (coordinated ? 1 - CLUSTER_MARGIN : 1);
    return r <= 0 ? 0 : Math.max(r * 0.5, r - burst());
  }

  /** The in-flight cap: the AIMD limit, scaled by this JVM's share (at least one). */
  private int cap() {
    return Math.max(1, (int) Math.floor(limit * share));
  }

  /**
   * Sets this JVM's fraction of the budget ({@code share}) and for how long from now it may
   * start calls ({@code openNanos}: 0 shuts it, {@code Long.MAX_VALUE} for good); the buckets
   * keep what they hold, capped at the new second's worth.
   */
  synchronized void share(double share, long openNanos) {
    refill();
    this.coordinated = true;
    this.share = share;
    long now = System.nanoTime();
    this.openUntil = openNanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + openNanos;
    requests = Math.min(requests, burst());
    tokens = Math.min(tokens, tpm * share / 60);
    notifyAll();
  }

  /** Calls in flight, callers waiting, or an acquire within {@code idleNanos}. */
  synchronized boolean busy(long idleNanos) {
    return inFlight > 0 || waiting > 0 || System.nanoTime() - lastAcquired < idleNanos;
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
    double rpm = refillRate();
    double tpm = this.tpm * share;
    boolean open = now < openUntil;
    if (rpm > 0 && open) {
      requests = Math.min(burst(), requests + minutes * rpm);
    }
    if (tpm > 0 && open) {
      tokens = Math.min(tpm / 60, tokens + minutes * tpm);
    }
  }
}
