package io.convoforge.core.llm;

import java.util.Map;
import java.util.SortedMap;

/**
 * A provider's batch endpoint behind the same kind of seam as {@link LlmClient}: submit a set of
 * chat requests as one batch, find a batch by the manifest id it was submitted under, poll it,
 * and read its results. One HTTP exchange (or one upload plus one create) per method, no
 * retries: {@link BatchRunner} owns retries, durability and accounting. Implementations: {@link
 * OpenAiBatches} (files + batches), {@link GeminiBatches} (inlined requests), {@link
 * VertexBatches} (batch prediction jobs reading and writing a FileSystems folder).
 */
interface BatchApi {
  /** Where a batch is. {@link #done()}: it will not change any more. */
  enum State {
    RUNNING, SUCCEEDED, FAILED, EXPIRED, CANCELLED;

    boolean done() {
      return this != RUNNING;
    }
  }

  /** A poll's answer: the state, what the provider said about it, and its own object. */
  record Polled(State state, String detail, Object handle) {}

  /** One result: an answer, or an error of a retry kind (with a message for the report). */
  record Line(LlmReply reply, LlmException.Kind kind, String error) {
    static Line ok(LlmReply reply) {
      return new Line(reply, null, null);
    }

    static Line failed(LlmException.Kind kind, String error) {
      return new Line(null, kind, error);
    }
  }

  /**
   * A finished batch's results by request key; a key without a line got no result. {@code
   * unreadable}: lines that could not be read at all (not JSON, or naming no request).
   */
  record Results(Map<String, Line> lines, int unreadable) {}

  /** The most requests one batch may hold. */
  int maxRequests();

  /** The most bytes (as {@link #size} counts them) one batch's input may hold. */
  long maxBytes();

  /** What a request adds to a batch's input, in bytes (an upper estimate). */
  default long size(LlmRequest r) {
    return 2L * r.promptChars() + 1024;
  }

  /**
   * Submits {@code requests} (key -> request, in key order) of {@code model} as one batch
   * labelled {@code manifestId}; returns the provider's batch id.
   */
  String submit(String manifestId, String model, SortedMap<String, LlmRequest> requests)
      throws LlmException;

  /** The batch submitted under {@code manifestId}, or null when the provider has none. */
  String find(String manifestId) throws LlmException;

  Polled poll(String batchId) throws LlmException;

  /**
   * The results of a finished batch; {@code known}: the requests of its keys this run knows
   * (some providers match results to requests by their content).
   */
  Results results(Polled finished, String manifestId, Map<String, LlmRequest> known)
      throws LlmException;

  /** Creates a provider's batch API over a session's SDK client. */
  @FunctionalInterface
  interface Factory {
    BatchApi open(LlmClient client);
  }
}
