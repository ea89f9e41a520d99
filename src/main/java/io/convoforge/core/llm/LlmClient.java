package io.convoforge.core.llm;

import java.util.List;

/**
 * The small seam in front of a vendor SDK: one structured-output chat call, one tool-calling
 * chat call ({@link Chat}), or one embedding call for a batch of texts, no retries (the caller
 * owns retries and throttling). Created on the worker, thread-safe, closed at teardown.
 */
public interface LlmClient extends AutoCloseable {
  LlmReply call(LlmRequest request) throws LlmException;

  /**
   * One vector per text, in order. {@code dimensions} and {@code taskType} are passed on when
   * not null. Clients without an embeddings endpoint fail permanently.
   */
  default EmbedReply embed(String model, List<String> texts, Integer dimensions, String taskType)
      throws LlmException {
    throw new LlmException(LlmException.Kind.PERMANENT,
        getClass().getSimpleName() + " has no embeddings endpoint", -1);
  }

  /**
   * One tool-calling chat turn of an agent ({@link Chat}); clients without tool calling fail
   * permanently. No retries: the caller's {@link ChatSession} owns them.
   */
  default Chat.Reply chat(Chat.Request request) throws LlmException {
    throw new LlmException(LlmException.Kind.PERMANENT,
        getClass().getSimpleName() + " has no tool-calling chat", -1);
  }

  @Override
  default void close() {}
}
