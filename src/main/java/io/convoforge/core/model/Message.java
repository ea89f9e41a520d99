package io.convoforge.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One message of a dialogue, in every family: who speaks ({@code role}: user, assistant, tool,
 * agent, client, system...), what is said, when (an optional ISO-8601 timestamp), the tool calls
 * an assistant message makes and the results a tool message carries. Absent parts are null, so
 * they are not written; an empty list is kept (a message with no calls is not one that made
 * none).
 */
@JsonPropertyOrder({"role", "text", "timestamp", "tool_calls", "tool_results"})
public record Message(
    String role,
    String text,
    String timestamp,
    @JsonProperty("tool_calls") List<ToolCall> toolCalls,
    @JsonProperty("tool_results") List<ToolResult> toolResults) {

  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";
  public static final String TOOL = "tool";
  public static final String SYSTEM = "system";

  public Message {
    toolCalls = toolCalls == null ? null : List.copyOf(toolCalls);
    toolResults = toolResults == null ? null : List.copyOf(toolResults);
  }

  /** A plain text message. */
  public static Message of(String role, String text) {
    return new Message(role, text, null, null, null);
  }

  public Message withTimestamp(String ts) {
    return new Message(role, text, ts, toolCalls, toolResults);
  }

  /** Whether the message carries tool calls (possibly none: an explicit empty list). */
  @JsonIgnore
  public boolean hasToolCalls() {
    return toolCalls != null;
  }
}
