package io.convoforge.family.tooluse.eval;

import com.fasterxml.jackson.core.type.TypeReference;
import io.convoforge.core.llm.Chat;
import io.convoforge.core.llm.ChatSession;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.schema.ToolSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An agent behind any provider's tool-calling chat ({@code openai}, {@code anthropic}, {@code
 * gemini}, {@code vertex}, {@code anthropic-vertex}; the wire formats are the core clients'),
 * every call through the shared {@link ChatSession} (cache, throttle, retries, accounting). For
 * each user turn it sends the transcript and the derived tools, executes every returned call in
 * the sandbox and sends the result back, until the model answers without calls (at most {@link
 * #MAX_ROUNDS} calls a turn). A call whose arguments are not a JSON object is malformed: it is
 * answered with an {@code invalid_arguments} error and not executed; a provider's own malformed
 * call (Gemini {@code MALFORMED_FUNCTION_CALL}) ends the turn. A refusal ends the turn too.
 * Provider errors that outlast the retries propagate to the evaluator.
 */
public final class ChatAgent implements Agent {
  static final int MAX_ROUNDS = 8;
  static final String SYSTEM = "You are an assistant that operates a database through the"
      + " tools provided. Do what the user asks by calling the tools with exactly the values the"
      + " user gives (and keys returned by earlier calls). When a call fails, tell the user"
      + " why. Answer briefly.";

  private final String name;
  private final ChatSession session;
  private final List<Chat.Tool> tools = new ArrayList<>();

  public ChatAgent(String name, ChatSession session, Collection<ToolSpec> specs) {
    this.name = name;
    this.session = session;
    for (ToolSpec t : specs) {
      tools.add(new Chat.Tool(t.name(), t.description(), t.parameters()));
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Session start(Conversation c) {
    List<Chat.Message> transcript = new ArrayList<>();
    int[] round = {0};
    return (user, exec) -> {
      transcript.add(Chat.Message.user(user));
      int malformed = 0;
      for (int r = 0; r < MAX_ROUNDS; r++) {
        Chat.Reply reply = session.chat(c.id(), round[0]++,
            session.request(SYSTEM, transcript, tools));
        if (reply.refused() || Chat.Reply.MALFORMED_CALL.equals(reply.finishReason())) {
          transcript.add(Chat.Message.assistant(reply.text(), List.of()));
          return new Reply(reply.text(), reply.refused(), malformed
              + (reply.refused() ? 0 : 1));
        }
        transcript.add(Chat.Message.assistant(reply.text(), reply.calls()));
        if (reply.calls().isEmpty()) {
          return new Reply(reply.text(), false, malformed);
        }
        for (Chat.Call call : reply.calls()) {
          Map<String, Object> args = arguments(call.arguments());
          ToolResult result;
          if (args == null) {
            malformed++;
            result = ToolResult.failure(call.name(), "invalid_arguments",
                "The arguments of " + call.name() + " are not a JSON object.");
          } else {
            result = exec.apply(ToolCall.of(call.name(), args));
          }
          transcript.add(Chat.Message.toolResult(call, Json.write(result), !result.ok()));
        }
      }
      return new Reply("", false, malformed);
    };
  }

  /** The model's JSON arguments without nulls; null when they are not a JSON object. */
  static Map<String, Object> arguments(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      Map<String, Object> m = Json.MAPPER.readValue(json,
          new TypeReference<LinkedHashMap<String, Object>>() {});
      if (m == null) {
        return null;
      }
      for (Iterator<Map.Entry<String, Object>> it = m.entrySet().iterator(); it.hasNext(); ) {
        if (it.next().getValue() == null) {
          it.remove();
        }
      }
      return m;
    } catch (Exception e) {
      return null;
    }
  }

  @Override
  public void close() {
    session.close();
  }
}
