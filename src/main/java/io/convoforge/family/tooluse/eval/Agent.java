package io.convoforge.family.tooluse.eval;

import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.model.Conversation;
import java.util.function.Function;

/**
 * An assistant under evaluation. {@link #start} opens one conversation; the session gets the
 * user's turns one at a time together with the tools (an executor that runs a call in the
 * conversation's sandbox and returns its result) and answers with text after making whatever
 * calls it decides to make.
 */
public interface Agent extends AutoCloseable {
  String name();

  Session start(Conversation c);

  /** One conversation with the agent. */
  interface Session {
    String respond(String user, Function<ToolCall, ToolResult> tools) throws Exception;
  }

  @Override
  default void close() {}
}
