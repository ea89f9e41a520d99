package io.convoforge.family.tooluse.eval;

import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.model.Conversation;
import java.util.function.Function;

/**
 * An assistant under evaluation. {@link #start} opens one conversation; the session gets the
 * user's turns one at a time together with the tools (an executor that runs a call in the
 * conversation's sandbox and returns its result) and answers with a {@link Reply} after making
 * whatever calls it decides to make. Sessions of different conversations may run on different
 * threads at once, so an agent is thread-safe; one session is used by one thread.
 *
 * <p>Failures: {@link Session#respond} throws when the agent cannot answer at all (a provider
 * error after the retries); the evaluator scores that conversation as failed, with the reason.
 */
public interface Agent extends AutoCloseable {
  String name();

  Session start(Conversation c);

  /** One conversation with the agent. */
  interface Session {
    Reply respond(String user, Function<ToolCall, ToolResult> tools) throws Exception;
  }

  /**
   * The agent's answer to one user turn: its text, whether it declined ({@code refused}), and
   * how many of its calls were malformed (arguments that are not a JSON object, a call the
   * provider could not parse), which were answered with an error and never executed.
   */
  record Reply(String text, boolean refused, int malformedCalls) {
    public static Reply of(String text) {
      return new Reply(text, false, 0);
    }
  }

  @Override
  default void close() {}
}
