package io.convoforge.family.tooluse;

import io.convoforge.core.family.RunContext;
import io.convoforge.core.llm.Backend;
import io.convoforge.core.llm.Prompts;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.family.tooluse.backend.Generator;
import io.convoforge.family.tooluse.backend.Generators;
import io.convoforge.family.tooluse.gen.PhraseBank;
import io.convoforge.family.tooluse.recipe.FailureMix;
import io.convoforge.family.tooluse.recipe.Task;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.ToolSpec;
import io.convoforge.family.tooluse.schema.Tools;
import io.convoforge.family.tooluse.stages.ToolValidator;
import java.io.Serializable;
import java.util.Map;

/**
 * Everything a tool-use stage needs besides its input, as plain serializable values read once
 * by the launcher: the run (recipe, backend, id, seed), the tables schema and its tools, the
 * tasks, the phrase bank, the failure causes' weights and the family's prompts. Never the PipelineOptions, never a secret.
 */
public final class ToolUseContext implements Serializable {
  private final RunContext run;
  private final TablesSchema schema;
  private final Map<String, Task> tasks;
  private final PhraseBank phrases;
  private final Prompts prompts;
  private final FailureMix failures;
  private final Generators.Source generators;
  private transient Map<String, ToolSpec> tools;
  private transient ToolValidator validator;

  public ToolUseContext(RunContext run, TablesSchema schema, Map<String, Task> tasks,
      PhraseBank phrases, Prompts prompts, FailureMix failures) {
    this(run, schema, tasks, phrases, prompts, failures, Generators.BACKEND);
  }

  private ToolUseContext(RunContext run, TablesSchema schema, Map<String, Task> tasks,
      PhraseBank phrases, Prompts prompts, FailureMix failures, Generators.Source generators) {
    this.run = run;
    this.schema = schema;
    this.tasks = Map.copyOf(tasks);
    this.phrases = phrases;
    this.prompts = prompts;
    this.failures = failures;
    this.generators = generators;
  }

  /** The same context whose stages get their generators from {@code source}. */
  public ToolUseContext withGenerators(Generators.Source source) {
    return new ToolUseContext(run, schema, tasks, phrases, prompts, failures, source);
  }

  /** The generator of {@code stage} (opened on the worker). */
  public Generator generator(String stage) {
    return generators.open(this, stage);
  }

  public RunContext run() {
    return run;
  }

  public Recipe recipe() {
    return run.recipe();
  }

  public Backend backend() {
    return run.backend();
  }

  public String runId() {
    return run.runId();
  }

  public long seed() {
    return run.seed();
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

  public Prompts prompts() {
    return prompts;
  }

  /** The recipe's weights of failure causes. */
  public FailureMix failures() {
    return failures;
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
