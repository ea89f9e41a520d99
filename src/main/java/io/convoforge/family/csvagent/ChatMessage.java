package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.convoforge.core.model.Json;
import java.util.List;
import java.util.Map;

/**
 * One message of an episode in OpenAI chat format: {@code role} (system, user, assistant, tool),
 * {@code content}, and for an assistant step its {@code tool_calls} (one {@code run_sql} call whose
 * {@code function.arguments} is the JSON string {@code {"sql": …}}), for a tool message the
 * {@code tool_call_id} it answers. Null fields are left out of the JSON.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ChatMessage(String role, String content, List<ToolCall> toolCalls,
    String toolCallId) {
  public static final String RUN_SQL = "run_sql";

  /** A function call of an assistant message. */
  public record ToolCall(String id, String type, Function function) {}

  /** The called function: its name and its arguments as a JSON string. */
  public record Function(String name, String arguments) {}

  public static ChatMessage system(String content) {
    return new ChatMessage("system", content, null, null);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content, null, null);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content, null, null);
  }

  /** An assistant message calling {@code run_sql} with {@code sql}; {@code content} may be null. */
  public static ChatMessage runSql(String callId, String content, String sql) {
    return new ChatMessage("assistant", content, List.of(new ToolCall(callId, "function",
        new Function(RUN_SQL, Json.write(Map.of("sql", sql))))), null);
  }

  public static ChatMessage tool(String callId, String content) {
    return new ChatMessage("tool", content, null, callId);
  }
}
