package io.convoforge.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One call an assistant is expected to make. {@code expectError} is set only on the call that a
 * failure conversation intends to fail ({@code not_found}, {@code invalid_reference},
 * {@code conflict}); it is always schema-valid.
 */
public record ToolCall(
    String name,
    Map<String, Object> arguments,
    @JsonProperty("expect_error") String expectError) {

  public ToolCall {
    arguments = Canonical.sorted(arguments);
  }

  public static ToolCall of(String name, Map<String, Object> arguments) {
    return new ToolCall(name, arguments, null);
  }
}
