package io.convoforge.backend;

import io.convoforge.stages.StageContext;
import java.io.Serializable;

/**
 * Serializable recipe for a {@link Generator}: it travels inside DoFns and opens the generator on
 * the worker. Holds no secrets; API keys are resolved when {@link #open} runs.
 */
public interface GeneratorFactory extends Serializable {
  Generator open(StageContext context, String stage);

  /** The backend's name as written into lineage ("offline", "openai"...). */
  String name();

  /**
   * How stages should batch this backend's calls: keyed shards, batch size, max buffering and
   * call threads per batch (the backend's own throttle bounds the calls in flight). Null (the default) calls per element, as the offline backend does.
   */
  default Batching batching() {
    return null;
  }

  /** See {@link #batching()}. */
  record Batching(int shards, int batchSize, long maxBufferingMillis, int concurrency)
      implements Serializable {}
}
