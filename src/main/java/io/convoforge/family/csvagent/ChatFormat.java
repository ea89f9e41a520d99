package io.convoforge.family.csvagent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An episode's dialogue in the two forms it takes: the record envelope's {@link Message}s (what
 * the core judge, filter and dedup read) and OpenAI chat format ({@link ChatMessage}: what the
 * dataset's lines hold). An assistant step's {@code run_sql} call is a {@link ToolCall} with
 * {@code {"sql": ...}} and the call's id; a tool message keeps the observation JSON as its text
 * and a {@link ToolResult} saying whether it succeeded ({@code refused}, {@code timeout} or
 * {@code sql_error} otherwise). A tool message answers the call just before it, so its
 * {@code tool_call_id} is that call's id. Pure; both directions are inverse.
 */
public final class ChatFormat {
  private ChatFormat() {}

  public static List<Message> toCore(List<ChatMessage> chat) {
    List<Message> out = new ArrayList<>(chat.size());
    for (ChatMessage m : chat) {
      if (m.toolCalls() != null && !m.toolCalls().isEmpty()) {
        List<ToolCall> calls = new ArrayList<>();
        for (ChatMessage.ToolCall c : m.toolCalls()) {
          calls.add(new ToolCall(c.function().name(), arguments(c.function().arguments()), null,
              c.id()));
        }
        out.add(new Message(m.role(), m.content(), null, calls, null));
      } else if ("tool".equals(m.role())) {
        out.add(new Message(Message.TOOL, m.content(), null, null, List.of(result(m.content()))));
      } else {
        out.add(Message.of(m.role(), m.content()));
      }
    }
    return List.copyOf(out);
  }

  public static List<ChatMessage> toChat(List<Message> messages) {
    List<ChatMessage> out = new ArrayList<>(messages.size());
    String lastCall = null;
    for (Message m : messages) {
      if (m.toolCalls() != null && !m.toolCalls().isEmpty()) {
        List<ChatMessage.ToolCall> calls = new ArrayList<>();
        for (ToolCall c : m.toolCalls()) {
          calls.add(new ChatMessage.ToolCall(c.id(), "function",
              new ChatMessage.Function(c.name(), Json.write(c.arguments()))));
          lastCall = c.id();
        }
        out.add(new ChatMessage(m.role(), m.text(), calls, null));
      } else if (Message.TOOL.equals(m.role())) {
        out.add(ChatMessage.tool(lastCall, m.text()));
      } else {
        out.add(new ChatMessage(m.role(), m.text(), null, null));
      }
    }
    return List.copyOf(out);
  }

  /** The SQL of a {@code run_sql} call, or null. */
  public static String sql(ToolCall c) {
    Object s = c.arguments() == null ? null : c.arguments().get("sql");
    return s == null ? null : s.toString();
  }

  private static Map<String, Object> arguments(String json) {
    try {
      return Json.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ToolResult result(String content) {
    JsonNode n;
    try {
      n = content == null ? null : Json.MAPPER.readTree(content);
    } catch (IOException e) {
      n = null;
    }
    if (n == null || !n.has("error")) {
      return ToolResult.success(ChatMessage.RUN_SQL, null);
    }
    String error = n.path("error").asText();
    String code = error.startsWith("Refused:") ? "refused"
        : error.startsWith("Timeout:") ? "timeout" : "sql_error";
    return ToolResult.failure(ChatMessage.RUN_SQL, code, error);
  }
}
