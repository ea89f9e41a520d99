package io.convoforge.core.llm;

import java.io.Serializable;

/**
 * Where the model-facing work of a run goes: {@code offline} (deterministic code of each family,
 * no network) or an LLM provider. A serializable description that travels inside transforms and
 * opens its {@link LlmSession} on the worker; it never holds a secret (keys are resolved when a
 * session opens).
 */
public interface Backend extends Serializable {
  /** The name written into lineage: offline, openai, gemini, vertex. */
  String name();

  /** True for the offline backend: stages use their family's deterministic answerers. */
  boolean offline();

  /**
   * How stages batch their calls to this backend (keyed shards, 0 when the runner's parallelism
   * decides; batch size, buffering, call threads per batch); null to call per element, as
   * offline.
   */
  Batching batching();

  /**
   * How {@code stage} batches its calls: {@link #batching()}, unless the stage's calls go to the
   * provider's batch API ({@code llm.mode: batch}), where a group is one provider batch.
   */
  default Batching batching(String stage) {
    return batching();
  }

  /**
   * A session of structured calls for one stage, on the worker, with the family's {@code
   * prompts}; the calls share the run's throttle budget named by {@code runId}.
   */
  LlmSession open(Prompts prompts, String stage, String runId);

  /**
   * See {@link #batching()}. {@code providerBatches}: each group's requests go to the
   * provider's batch API ({@code llm.mode: batch}) instead of being called concurrently.
   */
  record Batching(int shards, int batchSize, long maxBufferingMillis, int concurrency,
      boolean providerBatches) implements Serializable {
    public Batching(int shards, int batchSize, long maxBufferingMillis, int concurrency) {
      this(shards, batchSize, maxBufferingMillis, concurrency, false);
    }
  }
}
