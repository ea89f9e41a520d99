package io.convoforge.pipeline;

import io.convoforge.gen.PhraseBank;
import io.convoforge.recipe.Recipe;
import io.convoforge.recipe.RecipeLoader;
import io.convoforge.recipe.Stratum;
import io.convoforge.recipe.Task;
import io.convoforge.recipe.TaskCatalog;
import io.convoforge.schema.InputException;
import io.convoforge.schema.Problem;
import io.convoforge.schema.SchemaLoader;
import io.convoforge.schema.TablesSchema;
import io.convoforge.schema.Tools;
import io.convoforge.stages.StageRegistry;
import io.convoforge.util.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every input of a run, loaded and checked: the recipe (with overrides), the tables schema, the
 * tasks, the phrase bank and the sampling plan. Used by {@code run} and {@code validate} alike,
 * so validate finds exactly what run would refuse.
 */
public record Inputs(
    Recipe recipe,
    TablesSchema schema,
    Map<String, Task> tasks,
    PhraseBank phrases,
    List<Stratum> strata,
    long seed,
    String runId) {

  public static Inputs load(Path recipeFile, List<String> overrides, Integer count) {
    Recipe recipe = RecipeLoader.load(recipeFile, overrides);
    List<Problem> problems = new ArrayList<>();
    List<String> stages = recipe.stages();
    for (int i = 0; i < stages.size(); i++) {
      if (!StageRegistry.has(stages.get(i))) {
        problems.add(new Problem(recipe.file(), "field stages[" + i + "]", "unknown stage '"
            + stages.get(i) + "'; expected one of " + StageRegistry.names()));
      }
    }
    if (!stages.isEmpty() && !"sample".equals(stages.get(0))) {
      problems.add(new Problem(recipe.file(), "field stages[0]",
          "the first stage must be 'sample', got '" + stages.get(0) + "'"));
    }
    if (recipe.turnsMin() > recipe.turnsMax()) {
      problems.add(new Problem(recipe.file(), "field turns", "min " + recipe.turnsMin()
          + " exceeds max " + recipe.turnsMax()));
    }
    if (recipe.tasksPath() == null) {
      problems.add(new Problem(recipe.file(), "field tasks", "is missing; name the tasks CSV"));
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    Path schemaPath = Path.of(recipe.schemaPath());
    TablesSchema schema = SchemaLoader.load(schemaPath);
    Path tasksPath = Path.of(recipe.tasksPath());
    Map<String, Task> tasks = TaskCatalog.load(tasksPath, Tools.derive(schema).keySet());
    PhraseBank phrases = recipe.phrasesPath() == null ? PhraseBank.loadDefault()
        : PhraseBank.load(Path.of(recipe.phrasesPath()));
    long seed = recipe.seed();
    List<Stratum> strata = SamplingPlan.strata(recipe, tasks, count, seed);
    // The run id names the configuration, not the invocation: same inputs, same id, so records
    // of reruns are byte-identical and caches keyed on it keep hitting.
    // Paths are left out (they depend on the current directory); the files' contents go in.
    Map<String, Object> settings = new java.util.TreeMap<>(recipe.values());
    settings.keySet().removeAll(RecipeLoader.PATH_KEYS);
    String fingerprint = String.join("\n", io.convoforge.model.Json.write(settings),
        SchemaLoader.readFile(schemaPath), SchemaLoader.readFile(tasksPath),
        recipe.phrasesPath() == null ? "" : SchemaLoader.readFile(Path.of(recipe.phrasesPath())),
        String.valueOf(strata), String.valueOf(seed));
    String runId = String.format("%016x", Seeds.hash(fingerprint));
    return new Inputs(recipe, schema, tasks, phrases, strata, seed, runId);
  }

  public int sampleCount() {
    return strata.stream().mapToInt(Stratum::count).sum();
  }
}
