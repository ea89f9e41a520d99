package io.convoforge.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a tool call returned: {@code output} on success (a row, {"results": [...]}, the created
 * key), or {@code error} with a code and a message, as an API would answer.
 */
public record ToolResult(String name, boolean ok, Object output, ToolError error) {

  /** The error half of a result. */
  public record ToolError(String code, String message) {}

  public static ToolResult success(String name, Object output) {
    return new ToolResult(name, true, output, null);
  }

  public static ToolResult failure(String name, String code, String message) {
    return new ToolResult(name, false, null, new ToolError(code, message));
  }

  @JsonProperty("ok")
  @Override
  public boolean ok() {
    return ok;
  }
}
