package io.convoforge.backend.llm;

/**
 * The small seam in front of a vendor SDK: one structured-output chat call, no retries (the
 * caller owns retries and throttling). Created on the worker, thread-safe, closed at teardown.
 */
public interface LlmClient extends AutoCloseable {
  LlmReply call(LlmRequest request) throws LlmException;

  @Override
  default void close() {}
}
