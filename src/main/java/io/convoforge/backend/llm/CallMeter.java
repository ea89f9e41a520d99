package io.convoforge.backend.llm;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The accounting metrics of one stage's LLM calls, in namespace {@code convoforge.llm} with the
 * stage as prefix ({@code plan_calls}, {@code utterances_tokens_in}, ...), plus Beam's throttling
 * counter ({@link Metrics#THROTTLE_TIME_NAMESPACE}) so autoscaling runners see throttled time.
 * Cost is counted in micro-dollars.
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

  CallMeter(String stage) {
    calls = Metrics.counter(NAMESPACE, stage + "_calls");
    retries = Metrics.counter(NAMESPACE, stage + "_retries");
    rateLimited = Metrics.counter(NAMESPACE, stage + "_rate_limited");
    cacheHits = Metrics.counter(NAMESPACE, stage + "_cache_hits");
    cacheErrors = Metrics.counter(NAMESPACE, stage + "_cache_errors");
    repaired = Metrics.counter(NAMESPACE, stage + "_repaired");
    tokensIn = Metrics.counter(NAMESPACE, stage + "_tokens_in");
    tokensOut = Metrics.counter(NAMESPACE, stage + "_tokens_out");
    throttledMs = Metrics.counter(NAMESPACE, stage + "_throttled_ms");
    costMicros = Metrics.counter(NAMESPACE, stage + "_cost_micro_usd");
    latency = Metrics.distribution(NAMESPACE, stage + "_latency_ms");
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
