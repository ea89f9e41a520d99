package io.convoforge.family.tooluse.stages;

import com.networknt.schema.Schema;
import io.convoforge.core.input.JsonSchemas;
import io.convoforge.core.model.Json;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.schema.ToolSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates tool-call arguments against the derived tools' JSON Schemas. Built once per
 * deserialized {@link ToolUseContext} (compiling is costly; validating is cheap and thread-safe).
 */
public final class ToolValidator {
  private final Map<String, Schema> compiled = new HashMap<>();

  public ToolValidator(Map<String, ToolSpec> tools) {
    for (ToolSpec t : tools.values()) {
      compiled.put(t.name(), JsonSchemas.compile(t.parameters()));
    }
  }

  public static ToolValidator of(ToolUseContext ctx) {
    return ctx.validator();
  }

  /** Empty when valid; an unknown tool is one violation. */
  public List<String> violations(String tool, Map<String, Object> args) {
    Schema s = compiled.get(tool);
    if (s == null) {
      return List.of("unknown tool " + tool);
    }
    return JsonSchemas.violations(s, Json.tree(args == null ? Map.of() : args));
  }
}
