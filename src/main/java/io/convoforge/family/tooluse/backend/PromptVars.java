package io.convoforge.family.tooluse.backend;

import io.convoforge.core.model.Json;
import io.convoforge.core.util.Seeds;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.recipe.Task;
import java.util.LinkedHashMap;
import java.util.Map;

/** The template variables every tool-use prompt may use. */
public final class PromptVars {
  private PromptVars() {}

  /**
   * {@code task_id}, {@code task_name}, {@code task_description}, {@code outcome}, {@code
   * persona} (JSON) and {@code seed} (the element's own, for models that take one).
   */
  public static Map<String, String> common(ToolUseContext ctx, Conversation c) {
    Map<String, String> v = new LinkedHashMap<>();
    Task task = ctx.tasks().get(c.taskId());
    v.put("task_id", c.taskId());
    v.put("task_name", task == null ? "" : task.name());
    v.put("task_description", task == null ? "" : task.description());
    v.put("outcome", c.outcome());
    v.put("persona", c.persona() == null ? "{}" : Json.write(c.persona()));
    v.put("seed", String.valueOf(Seeds.of(ctx.seed(), c.id(), "llm")));
    return v;
  }
}
