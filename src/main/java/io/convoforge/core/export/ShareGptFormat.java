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
 * function_call at odd ones, so a dialogue that starts with the assistant, has two user turns in
 * a row, or has assistant text beside a call is invalid here ({@link Chat.Invalid}, named).
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
            if (m.content() != null) {
              throw new Chat.Invalid("text_beside_call", "an assistant message has text beside"
                  + " its tool call, which ShareGPT's function_call cannot carry");
            }
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
