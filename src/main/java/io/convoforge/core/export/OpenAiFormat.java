package io.convoforge.core.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.model.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenAI's chat fine-tuning format, one example per line: {@code messages} (system, user,
 * assistant with {@code tool_calls} — {@code id}, {@code type: function}, {@code
 * function.name}, {@code function.arguments} as a JSON string — and {@code tool} messages with
 * {@code tool_call_id} and {@code content}), and, when the example offers tools, top-level
 * {@code tools} and {@code parallel_tool_calls: false} (so every assistant message makes one
 * call: {@link Chat#sequential}). {@link #validate} checks a written line against the format on
 * its own terms, independent of how it was made.
 */
public final class OpenAiFormat {
  private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

  private OpenAiFormat() {}

  /** The line of an example, as a JSON-serialisable map. */
  public static Map<String, Object> line(Chat chat) {
    Chat c = chat.sequential();
    List<Map<String, Object>> messages = new ArrayList<>();
    for (Chat.Msg m : c.messages()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("role", m.role());
      if (m.content() != null || !m.hasCalls()) {
        o.put("content", m.content());
      }
      if (m.hasCalls()) {
        List<Map<String, Object>> calls = new ArrayList<>();
        for (Chat.Call call : m.calls()) {
          Map<String, Object> fn = new LinkedHashMap<>();
          fn.put("name", call.name());
          fn.put("arguments", call.arguments());
          Map<String, Object> tc = new LinkedHashMap<>();
          tc.put("id", call.id());
          tc.put("type", "function");
          tc.put("function", fn);
          calls.add(tc);
        }
        o.put("tool_calls", calls);
      }
      if (m.callId() != null) {
        o.put("tool_call_id", m.callId());
      }
      messages.add(o);
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("messages", messages);
    if (!c.tools().isEmpty()) {
      line.put("tools", c.tools());
      line.put("parallel_tool_calls", false);
    }
    return line;
  }

  /**
   * The problems of a line, empty when it is a valid example: messages present, roles known,
   * content a string where present, every assistant message with content or tool calls, tool
   * calls well formed (id, type function, name, arguments a JSON object string) with unique ids,
   * every call answered by a tool message naming its id before the next user or assistant
   * message, no tool message answering nothing, at least one assistant message, and tools (when
   * present) functions with names that cover every call.
   */
  public static List<String> validate(JsonNode line) {
    List<String> problems = new ArrayList<>();
    JsonNode messages = line.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      return List.of("messages is missing or empty");
    }
    Set<String> ids = new HashSet<>();
    Set<String> open = new LinkedHashSet<>();
    Set<String> called = new HashSet<>();
    boolean assistant = false;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String role = m.path("role").asText(null);
      if (role == null || !ROLES.contains(role)) {
        problems.add("message " + i + ": unknown role " + m.path("role"));
        continue;
      }
      if (m.has("content") && !m.get("content").isTextual() && !m.get("content").isNull()) {
        problems.add("message " + i + ": content is not a string");
      }
      if (!"tool".equals(role) && !open.isEmpty()) {
        problems.add("message " + i + ": calls " + open + " are not answered before it");
        open.clear();
      }
      boolean hasText = m.path("content").isTextual() && !m.path("content").asText().isBlank();
      switch (role) {
        case "assistant" -> {
          assistant = true;
          JsonNode calls = m.path("tool_calls");
          if (!hasText && (!calls.isArray() || calls.isEmpty())) {
            problems.add("message " + i + ": assistant message has neither content nor calls");
          }
          for (JsonNode tc : calls) {
            String id = tc.path("id").asText("");
            if (id.isEmpty() || !ids.add(id)) {
              problems.add("message " + i + ": tool call id '" + id + "' missing or not unique");
            }
            if (!"function".equals(tc.path("type").asText())) {
              problems.add("message " + i + ": tool call " + id + " is not of type function");
            }
            if (tc.path("function").path("name").asText("").isEmpty()) {
              problems.add("message " + i + ": tool call " + id + " has no function name");
            }
            called.add(tc.path("function").path("name").asText(""));
            JsonNode args = tc.path("function").path("arguments");
            if (!args.isTextual() || !isJsonObject(args.asText())) {
              problems.add("message " + i + ": tool call " + id
                  + " arguments are not a JSON object string");
            }
            open.add(id);
          }
        }
        case "tool" -> {
          String id = m.path("tool_call_id").asText("");
          if (!open.remove(id)) {
            problems.add("message " + i + ": tool message answers no open call ('" + id + "')");
          }
          if (!m.path("content").isTextual()) {
            problems.add("message " + i + ": tool message has no content");
          }
        }
        default -> {
          if (!hasText) {
            problems.add("message " + i + ": " + role + " message has no content");
          }
        }
      }
    }
    if (!open.isEmpty()) {
      problems.add("calls " + open + " are never answered");
    }
    if (!assistant) {
      problems.add("no assistant message");
    }
    if (line.has("tools")) {
      Set<String> offered = new HashSet<>();
      for (JsonNode t : line.get("tools")) {
        if (!"function".equals(t.path("type").asText())
            || t.path("function").path("name").asText("").isEmpty()) {
          problems.add("tools: an entry is not a named function");
        }
        offered.add(t.path("function").path("name").asText(""));
      }
      called.removeAll(offered);
      if (!called.isEmpty()) {
        problems.add("tools do not offer " + called);
      }
    } else if (!called.isEmpty()) {
      problems.add("the line calls tools " + called + " but has no tools");
    }
    return problems;
  }

  private static boolean isJsonObject(String s) {
    try {
      return Json.parse(s).isObject();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
