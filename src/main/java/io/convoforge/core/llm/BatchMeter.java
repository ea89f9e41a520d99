package io.convoforge.core.llm;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The accounting of provider batches, in namespace {@code convoforge.batch} (the report's {@code
 * batch} section, per stage: Beam's metric key carries the step): batches submitted, requests
 * submitted (resubmissions included), requests resubmitted, requests that failed for good,
 * requests answered, follow-up requests sent online instead, polls, the wait from the first
 * submission to the last result, and tokens and cost at the batch price (micro-dollars).
 */
final class BatchMeter {
  static final String NAMESPACE = "convoforge.batch";

  final Counter batches = Metrics.counter(NAMESPACE, "batches");
  final Counter requests = Metrics.counter(NAMESPACE, "requests");
  final Counter resubmitted = Metrics.counter(NAMESPACE, "resubmitted");
  final Counter failed = Metrics.counter(NAMESPACE, "failed");
  final Counter answered = Metrics.counter(NAMESPACE, "answered");
  final Counter online = Metrics.counter(NAMESPACE, "online");
  final Counter polls = Metrics.counter(NAMESPACE, "polls");
  final Counter waitMs = Metrics.counter(NAMESPACE, "wait_ms");
  final Counter tokensIn = Metrics.counter(NAMESPACE, "tokens_in");
  final Counter tokensOut = Metrics.counter(NAMESPACE, "tokens_out");
  final Counter costMicros = Metrics.counter(NAMESPACE, "cost_micro_usd");
}
