package io.convoforge.stages;

import io.convoforge.backend.GeneratorFactory;
import io.convoforge.gen.PhraseBank;
import io.convoforge.recipe.Recipe;
import io.convoforge.recipe.Task;
import io.convoforge.schema.TablesSchema;
import io.convoforge.schema.ToolSpec;
import io.convoforge.schema.Tools;
import java.io.Serializable;
import java.util.Map;

/**
 * Everything a stage needs besides its input, as plain serializable values read once by the
 * launcher: the recipe, the tables schema and its tools, the tasks, the phrase bank, the backend
 * and the run's identity. Never the PipelineOptions, never a secret.
 */
public final class StageContext implements Serializable {
  private final Recipe recipe;
  private final TablesSchema schema;
  private final Map<String, Task> tasks;
  private final PhraseBank phrases;
  private final GeneratorFactory backend;
  private final String runId;
  private final long seed;
  private transient Map<String, ToolSpec> tools;
  private transient ToolValidator validator;

  public StageContext(
      Recipe recipe,
      TablesSchema schema,
      Map<String, Task> tasks,
      PhraseBank phrases,
      GeneratorFactory backend,
      String runId,
      long seed) {
    this.recipe = recipe;
    this.schema = schema;
    this.tasks = Map.copyOf(tasks);
    this.phrases = phrases;
    this.backend = backend;
    this.runId = runId;
    this.seed = seed;
  }

  public Recipe recipe() {
    return recipe;
  }

  public TablesSchema schema() {
    return schema;
  }

  public Map<String, Task> tasks() {
    return tasks;
  }

  public PhraseBank phrases() {
    return phrases;
  }

  public GeneratorFactory backend() {
    return backend;
  }

  public String runId() {
    return runId;
  }

  public long seed() {
    return seed;
  }

  public synchronized ToolValidator validator() {
    if (validator == null) {
      validator = new ToolValidator(tools());
    }
    return validator;
  }

  public synchronized Map<String, ToolSpec> tools() {
    if (tools == null) {
      tools = Tools.derive(schema);
    }
    return tools;
  }
}
