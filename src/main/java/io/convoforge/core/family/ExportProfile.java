package io.convoforge.core.family;

import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.ToolCall;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a family adds when its records become training examples ({@code convoforge export}) and
 * a dataset card: the system prompt, the tools the assistant may call, how its message roles
 * read as user and assistant, which records are siblings that a split keeps together, and the
 * caveats of its data. Every method has a default that fits any family whose records use the
 * envelope's roles, so a family overrides only what it knows better ({@link
 * RecipeFamily#exportProfile}).
 */
public interface ExportProfile {
  /** Example roles. */
  String USER = "user";
  String ASSISTANT = "assistant";
  String TOOL = "tool";
  String SYSTEM = "system";

  /** The profile of a family that supplies nothing: every default. */
  ExportProfile DEFAULT = new ExportProfile() {};

  /**
   * The system message of a record's example, or null for none (a system message the record
   * itself carries is kept either way).
   */
  default String system(Record<?> r) {
    return null;
  }

  /**
   * The tools the record's assistant may call, in OpenAI's tools format ({@code {"type":
   * "function", "function": {"name", "description", "parameters"}}}), in a stable order. The
   * default infers one tool per name the record calls, its parameters typed from the arguments
   * the calls pass (so a family with a fixed tool, such as {@code run_sql}, needs no code).
   */
  default List<Map<String, Object>> tools(Record<?> r) {
    return inferTools(r);
  }

  /**
   * Keys that make records siblings: records that share any key (directly or through others)
   * land in the same split. Default: the record's id, so every record stands alone.
   */
  default List<String> siblingKeys(Record<?> r) {
    return List.of(r.id());
  }

  /**
   * The example role ({@link #USER}, {@link #ASSISTANT}, {@link #TOOL}, {@link #SYSTEM}) of a
   * message role, or null when the role has none (the example is then invalid, and named).
   * Default: user, client, customer and human speak as the user; assistant, agent, bot and model
   * as the assistant.
   */
  default String role(String role) {
    if (role == null) {
      return null;
    }
    return switch (role.toLowerCase(Locale.ROOT)) {
      case "user", "client", "customer", "human" -> USER;
      case "assistant", "agent", "bot", "model", "gpt" -> ASSISTANT;
      case "tool", "function", "observation" -> TOOL;
      case "system" -> SYSTEM;
      default -> null;
    };
  }

  /** Sentences for the dataset card's caveats section (what to keep in mind using the data). */
  default List<String> caveats() {
    return List.of();
  }

  /**
   * One tool per name the record's messages call, in order of first call, with an object schema
   * whose properties are the argument names seen, typed from their JSON values.
   */
  static List<Map<String, Object>> inferTools(Record<?> r) {
    Map<String, Map<String, Object>> props = new LinkedHashMap<>();
    for (Message m : r.messages()) {
      if (m.toolCalls() == null) {
        continue;
      }
      for (ToolCall c : m.toolCalls()) {
        Map<String, Object> p = props.computeIfAbsent(c.name(), k -> new TreeMap<>());
        if (c.arguments() != null) {
          c.arguments().forEach((k, v) -> p.putIfAbsent(k, Map.of("type", jsonType(v))));
        }
      }
    }
    return props.entrySet().stream().map(e -> {
      Map<String, Object> parameters = new LinkedHashMap<>();
      parameters.put("type", "object");
      parameters.put("properties", e.getValue());
      return function(e.getKey(), null, parameters);
    }).toList();
  }

  /** A tool in OpenAI's format. */
  static Map<String, Object> function(String name, String description,
      Map<String, Object> parameters) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("name", name);
    if (description != null) {
      f.put("description", description);
    }
    f.put("parameters", parameters);
    Map<String, Object> tool = new LinkedHashMap<>();
    tool.put("type", "function");
    tool.put("function", f);
    return tool;
  }

  private static String jsonType(Object v) {
    if (v instanceof Boolean) {
      return "boolean";
    }
    if (v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger) {
      return "integer";
    }
    if (v instanceof Number) {
      return "number";
    }
    if (v instanceof List<?>) {
      return "array";
    }
    if (v instanceof Map<?, ?>) {
      return "object";
    }
    return "string";
  }
}
