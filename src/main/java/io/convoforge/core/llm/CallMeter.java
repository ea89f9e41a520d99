package io.convoforge.core.llm;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The accounting metrics of LLM calls, in namespace {@code convoforge.llm} under constant names
 * ({@code calls}, {@code tokens_in}, ...): Beam's metric key carries the step, which names the
 * stage. Plus Beam's throttling counter ({@link Metrics#THROTTLE_TIME_NAMESPACE}) so autoscaling
 * runners see throttled time. Cost is counted in micro-dollars.
 */
final class CallMeter {
  static final String NAMESPACE = "convoforge.llm";

  final Counter calls;
  final Counter retries;
  final Counter rateLimited;
  final Counter cacheHits;
  final Counter cacheErrors;
  final Counter repaired;
  final Counter tokensIn;
  final Counter tokensOut;
  final Counter throttledMs;
  final Counter costMicros;
  final Distribution latency;
  private final Counter beamThrottling;

  CallMeter() {
    calls = Metrics.counter(NAMESPACE, "calls");
    retries = Metrics.counter(NAMESPACE, "retries");
    rateLimited = Metrics.counter(NAMESPACE, "rate_limited");
    cacheHits = Metrics.counter(NAMESPACE, "cache_hits");
    cacheErrors = Metrics.counter(NAMESPACE, "cache_errors");
    repaired = Metrics.counter(NAMESPACE, "repaired");
    tokensIn = Metrics.counter(NAMESPACE, "tokens_in");
    tokensOut = Metrics.counter(NAMESPACE, "tokens_out");
    throttledMs = Metrics.counter(NAMESPACE, "throttled_ms");
    costMicros = Metrics.counter(NAMESPACE, "cost_micro_usd");
    latency = Metrics.distribution(NAMESPACE, "latency_ms");
    beamThrottling = Metrics.counter(Metrics.THROTTLE_TIME_NAMESPACE,
        Metrics.THROTTLE_TIME_COUNTER_NAME);
  }

  void throttled(long ms) {
    if (ms > 0) {
      throttledMs.inc(ms);
      beamThrottling.inc(ms);
    }
  }

  void tokens(LlmReply r, double pricePerMIn, double pricePerMOut) {
    tokensIn.inc(r.tokensIn());
    tokensOut.inc(r.tokensOut());
    costMicros.inc(Math.round(r.tokensIn() * pricePerMIn + r.tokensOut() * pricePerMOut));
  }
}
