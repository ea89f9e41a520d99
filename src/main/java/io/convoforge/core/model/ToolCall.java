package io.convoforge.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * One tool call an assistant message makes: the tool's {@code name} and its {@code arguments}, an
 * optional {@code id} (the OpenAI chat format's {@code tool_call_id}), and {@code expectError}:
 * the error the call is meant to produce when the data teaches error handling (a tool-use failure
 * conversation's failing call: {@code not_found}, {@code invalid_reference}, {@code conflict}).
 */
@JsonPropertyOrder({"id", "name", "arguments", "expect_error"})
public record ToolCall(
    String name,
    Map<String, Object> arguments,
    @JsonProperty("expect_error") String expectError,
    String id) {

  public ToolCall(String name, Map<String, Object> arguments, String expectError) {
    this(name, arguments, expectError, null);
  }

  public ToolCall {
    arguments = Canonical.sorted(arguments);
  }

  public static ToolCall of(String name, Map<String, Object> arguments) {
    return new ToolCall(name, arguments, null);
  }
}
