package io.convoforge.core.export;

import io.convoforge.core.model.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LLaMA-Factory's ShareGPT layout: {@code conversations} of {@code {"from", "value"}} with
 * {@code from} human, gpt, function_call (value: {@code {"name", "arguments"}} as JSON) and
 * observation (the tool's result); {@code system}; {@code tools} as a JSON string of the
 * functions offered. LLaMA-Factory requires human or observation at even positions and gpt or
 * function_call at odd ones, so a dialogue with two user turns in a row is invalid here ({@link
 * Chat.Invalid}, named); one the assistant opens gets an empty human turn first ({@link
 * #opensWithAssistant}), and a closing user turn no answer follows is left out ({@link
 * #endsWithUser}). A function_call turn carries only the
 * call: assistant text beside a call ("Let me run the query.") is left out, and counted ({@link
 * #droppedText}).
 * Calls are made one per message ({@link Chat#sequential}). {@link #datasetInfo} is the
 * {@code dataset_info.json} entry of a file.
 */
public final class ShareGptFormat {
  private ShareGptFormat() {}

  /** The line of an example; throws when LLaMA-Factory could not read it. */
  public static Map<String, Object> line(Chat chat) throws Chat.Invalid {
    Chat c = chat.sequential();
    List<Map<String, Object>> turns = new ArrayList<>();
    List<String> system = new ArrayList<>();
    for (Chat.Msg m : c.messages()) {
      switch (m.role()) {
        case "system" -> {
          if (!turns.isEmpty()) {
            throw new Chat.Invalid("system_not_first", "a system message follows the dialogue's"
                + " start, which ShareGPT cannot say");
          }
          system.add(m.content());
        }
        case "user" -> turns.add(turn("human", m.content()));
        case "tool" -> turns.add(turn("observation", m.content()));
        default -> {
          if (m.hasCalls()) {
            Chat.Call call = m.calls().get(0);
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", call.name());
            v.put("arguments", Json.parse(call.arguments()));
            turns.add(turn("function_call", Json.write(v)));
          } else {
            turns.add(turn("gpt", m.content()));
          }
        }
      }
    }
    if (!turns.isEmpty() && !"human".equals(turns.get(0).get("from"))) {
      // A dialogue the assistant opens (a call-centre agent's greeting): ShareGPT starts with
      // a human turn, so an empty one stands for "the call started" (counted: opensWithAssistant).
      turns.add(0, turn("human", ""));
    }
    if (turns.size() > 1 && "human".equals(turns.get(turns.size() - 1).get("from"))) {
      // A closing user turn ("thanks, bye") that no answer follows: nothing trains on it, and
      // ShareGPT ends with gpt, so it is left out (counted: endsWithUser).
      turns.remove(turns.size() - 1);
    }
    for (int i = 0; i < turns.size(); i++) {
      String from = (String) turns.get(i).get("from");
      boolean userSide = "human".equals(from) || "observation".equals(from);
      if (userSide != (i % 2 == 0)) {
        throw new Chat.Invalid("roles_do_not_alternate", "turn " + i + " (" + from + ") breaks"
            + " ShareGPT's alternation of human/observation and gpt/function_call");
      }
    }
    if (turns.size() % 2 != 0) {
      throw new Chat.Invalid("roles_do_not_alternate", "the dialogue ends with a "
          + turns.get(turns.size() - 1).get("from") + " turn; ShareGPT ends with gpt");
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("conversations", turns);
    if (!system.isEmpty()) {
      line.put("system", String.join("\n\n", system));
    }
    if (!c.tools().isEmpty()) {
      List<Object> functions = new ArrayList<>();
      for (Map<String, Object> t : c.tools()) {
        functions.add(t.getOrDefault("function", t));
      }
      line.put("tools", Json.write(functions));
    }
    return line;
  }

  /** Whether the dialogue ends with a user message (ShareGPT leaves it out). */
  public static boolean endsWithUser(Chat chat) {
    return !chat.messages().isEmpty()
        && "user".equals(chat.messages().get(chat.messages().size() - 1).role());
  }

  /** Whether the dialogue opens with the assistant (ShareGPT then gets an empty human turn). */
  public static boolean opensWithAssistant(Chat chat) {
    return chat.messages().stream().filter(m -> !"system".equals(m.role())).findFirst()
        .map(m -> !"user".equals(m.role())).orElse(false);
  }

  /** Assistant messages of the example whose text beside a call ShareGPT leaves out. */
  public static int droppedText(Chat chat) {
    return (int) chat.messages().stream().filter(m -> m.hasCalls() && m.content() != null)
        .count();
  }

  /** The {@code dataset_info.json} entry of the ShareGPT file {@code fileName}. */
  public static Map<String, Object> datasetInfo(String fileName, boolean tools) {
    Map<String, Object> columns = new LinkedHashMap<>();
    columns.put("messages", "conversations");
    columns.put("system", "system");
    if (tools) {
      columns.put("tools", "tools");
    }
    Map<String, Object> tags = new LinkedHashMap<>();
    tags.put("role_tag", "from");
    tags.put("content_tag", "value");
    tags.put("user_tag", "human");
    tags.put("assistant_tag", "gpt");
    tags.put("observation_tag", "observation");
    tags.put("function_tag", "function_call");
    tags.put("system_tag", "system");
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("file_name", fileName);
    e.put("formatting", "sharegpt");
    e.put("columns", columns);
    e.put("tags", tags);
    return e;
  }

  private static Map<String, Object> turn(String from, String value) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("from", from);
    t.put("value", value);
    return t;
  }
}
