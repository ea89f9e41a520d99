package io.convoforge.family.tooluse.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import java.util.List;

/**
 * One exchange: what the user says, the calls the assistant is expected to make, what those calls
 * returned, and the assistant's reply.
 */
public record Turn(
    String user,
    @JsonProperty("expected_tool_calls") List<ToolCall> expectedToolCalls,
    @JsonProperty("tool_results") List<ToolResult> toolResults,
    @JsonProperty("expected_response") Response expectedResponse) {

  /** The assistant's reply text. */
  public record Response(String text) {}

  public Turn {
    expectedToolCalls = expectedToolCalls == null ? List.of() : List.copyOf(expectedToolCalls);
    toolResults = toolResults == null ? List.of() : List.copyOf(toolResults);
  }

  @JsonIgnore
  public String responseText() {
    return expectedResponse == null ? null : expectedResponse.text();
  }

  public Turn withResponse(String text) {
    return new Turn(user, expectedToolCalls, toolResults, new Response(text));
  }

  public Turn withToolResults(List<ToolResult> results) {
    return new Turn(user, expectedToolCalls, results, expectedResponse);
  }
}
