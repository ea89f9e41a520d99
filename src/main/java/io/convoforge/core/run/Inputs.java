package io.convoforge.core.run;

import io.convoforge.core.family.Families;
import io.convoforge.core.family.FamilyRun;
import io.convoforge.core.family.RecipeFamily;
import io.convoforge.core.family.RunContext;
import io.convoforge.core.input.InputException;
import io.convoforge.core.input.Problem;
import io.convoforge.core.llm.Backend;
import io.convoforge.core.llm.Backends;
import io.convoforge.core.llm.LlmSettings;
import io.convoforge.core.model.Json;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.core.recipe.RecipeLoader;
import io.convoforge.core.util.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every input of a run, loaded and checked: the recipe (with overrides), its family's inputs
 * (through {@link RecipeFamily#prepare}), the stage list, the backend, and the run's identity.
 * Used by {@code run} and {@code validate} alike, so validate finds exactly what run would
 * refuse.
 */
public record Inputs(Recipe recipe, RecipeFamily family, FamilyRun run, RunContext context) {

  public static Inputs load(Path recipeFile, List<String> overrides, Integer count) {
    Recipe recipe = resolveBackend(RecipeLoader.load(recipeFile, overrides, Families::of));
    RecipeFamily family = Families.of(recipe.kind(), recipe.file());
    FamilyRun run = family.prepare(recipe, count);
    checkStages(recipe, run);
    Backend backend = Backends.create(recipe.backend(), recipe.section("llm"));
    return new Inputs(recipe, family, run,
        new RunContext(recipe, backend, runId(recipe, family, run), recipe.seed()));
  }

  /**
   * {@code backend: auto} becomes the backend it stands for ({@link Backends#choose}), printed
   * in one line with the reason, before the family prepares its inputs (which may depend on it)
   * and before the run id is computed (so it names the backend really used).
   */
  static Recipe resolveBackend(Recipe recipe) {
    if (!Backends.AUTO.equals(recipe.backend())) {
      return recipe;
    }
    Backends.Choice c = Backends.choose(Backends.AUTO);
    System.out.println("backend auto: " + c.name() + " (" + c.reason() + ")");
    return recipe.with("backend", c.name());
  }

  /**
   * The run id names the configuration, not the invocation: the recipe's values (paths left
   * out, they depend on the current directory; so are the LLM settings that only change how
   * calls travel, such as the mode, the cache and the budget) and the family's inputs'
   * contents. Same inputs, same id, so records of reruns are byte-identical and caches keyed on
   * it keep hitting. Public for a family that checks, while it prepares, what earlier runs left
   * under this id.
   */
  public static String runId(Recipe recipe, RecipeFamily family, FamilyRun run) {
    Map<String, Object> settings = new TreeMap<>(recipe.values());
    settings.keySet().removeAll(family.pathKeys());
    if (settings.get("llm") instanceof Map<?, ?> llm) {
      @SuppressWarnings("unchecked")
      Map<String, Object> l = (Map<String, Object>) llm;
      settings.put("llm", LlmSettings.identity(l));
    }
    return String.format("%016x", Seeds.hash(Json.write(settings) + "\n" + run.fingerprint()));
  }

  private static void checkStages(Recipe recipe, FamilyRun run) {
    List<Problem> problems = new ArrayList<>();
    List<String> stages = recipe.stages();
    if (stages.isEmpty()) {
      problems.add(new Problem(recipe.file(), "field stages", "names no stage"));
    } else if (!stages.get(0).equals(run.sourceStage())) {
      problems.add(new Problem(recipe.file(), "field stages[0]", "the first stage must be '"
          + run.sourceStage() + "', got '" + stages.get(0) + "'"));
    }
    if (recipe.turnsMin() > recipe.turnsMax()) {
      problems.add(new Problem(recipe.file(), "field turns", "min " + recipe.turnsMin()
          + " exceeds max " + recipe.turnsMax()));
    }
    for (int i = 1; i < stages.size(); i++) {
      String s = stages.get(i);
      if (!StageRegistry.has(s, run)) {
        problems.add(new Problem(recipe.file(), "field stages[" + i + "]", "unknown stage '" + s
            + "'; expected one of " + StageRegistry.names(run)));
      }
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
  }
}
