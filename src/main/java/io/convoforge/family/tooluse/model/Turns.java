package io.convoforge.family.tooluse.model;

import io.convoforge.core.model.Message;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import java.util.ArrayList;
import java.util.List;

/**
 * A tool-use turn (the user's message, the calls the assistant makes, their results, the
 * assistant's reply) as messages of the record envelope, and back: {@code user}, then {@code
 * assistant} with {@code tool_calls} and {@code tool} with {@code tool_results} when the turn
 * calls tools, then {@code assistant} with the reply's text when the turn has a reply. The two
 * directions are exact inverses.
 */
public final class Turns {
  private Turns() {}

  public static List<Message> toMessages(List<Turn> turns) {
    if (turns == null) {
      return List.of();
    }
    List<Message> out = new ArrayList<>(turns.size() * 4);
    for (Turn t : turns) {
      out.add(Message.of(Message.USER, t.user()));
      if (!t.expectedToolCalls().isEmpty() || !t.toolResults().isEmpty()) {
        out.add(new Message(Message.ASSISTANT, null, null, t.expectedToolCalls(), null));
        out.add(new Message(Message.TOOL, null, null, null, t.toolResults()));
      }
      if (t.expectedResponse() != null) {
        out.add(Message.of(Message.ASSISTANT, t.expectedResponse().text()));
      }
    }
    return out;
  }

  /** The turns of a record's messages; null when it has none (nothing written yet). */
  public static List<Turn> of(List<Message> messages) {
    if (messages.isEmpty()) {
      return null;
    }
    List<Turn> out = new ArrayList<>();
    String user = null;
    List<ToolCall> calls = List.of();
    List<ToolResult> results = List.of();
    Turn.Response response = null;
    boolean open = false;
    for (Message m : messages) {
      switch (m.role()) {
        case Message.USER -> {
          if (open) {
            out.add(new Turn(user, calls, results, response));
          }
          open = true;
          user = m.text();
          calls = List.of();
          results = List.of();
          response = null;
        }
        case Message.TOOL -> results = m.toolResults() == null ? List.of() : m.toolResults();
        case Message.ASSISTANT -> {
          if (m.hasToolCalls()) {
            calls = m.toolCalls();
          } else {
            response = new Turn.Response(m.text());
          }
        }
        default -> throw new IllegalArgumentException("a tool-use conversation has no role "
            + m.role());
      }
    }
    if (open) {
      out.add(new Turn(user, calls, results, response));
    }
    return out;
  }
}
