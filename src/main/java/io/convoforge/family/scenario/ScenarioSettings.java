package io.convoforge.family.scenario;

import io.convoforge.core.input.InputException;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.family.scenario.registry.Registry;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * The scenario-dialogue keys of a recipe ({@code schemas/recipe-scenario-dialogue.schema.json}),
 * read once: the prompt specification's path, how scenarios are chosen ({@code scenario_mode},
 * {@code scenario}), the batch size, the registry ({@code registry}: a JDBC URL; absent or
 * blank: the embedded H2 file under {@code .convoforge/registry}; {@code none}: no
 * registration), the shared output root batches are also published to ({@code output_root};
 * null: none) and the folder of offline phrase banks ({@code phrases}; null: the shipped ones).
 */
public record ScenarioSettings(
    String prompt,
    String mode,
    String scenario,
    int batchSize,
    String registry,
    String outputRoot,
    String phrases) implements Serializable {
  /** The {@code registry} value that turns registration off. */
  public static final String NO_REGISTRY = "none";
  public static final int DEFAULT_BATCH_SIZE = 25;

  public ScenarioSettings {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch_size must be at least 1, got " + batchSize);
    }
  }

  public static ScenarioSettings from(Recipe recipe) {
    String prompt = recipe.string("prompt", null);
    if (prompt == null || prompt.isBlank()) {
      throw new InputException(recipe.file(), "field prompt",
          "is missing; name the prompt specification (a markdown file in data/prompts/)");
    }
    Object size = recipe.value("batch_size");
    return new ScenarioSettings(prompt, recipe.string("scenario_mode", "random"),
        recipe.string("scenario", null),
        size instanceof Number n ? n.intValue() : DEFAULT_BATCH_SIZE,
        recipe.string("registry", null), recipe.string("output_root", null),
        recipe.string("phrases", null));
  }

  /** Whether the run registers its batches. */
  public boolean registers() {
    return !NO_REGISTRY.equalsIgnoreCase(registry == null ? "" : registry.trim());
  }

  /** The registry's JDBC URL (the default one when the recipe names none). */
  public String registryUrl() {
    return registry == null || registry.isBlank() ? defaultRegistryUrl() : registry.trim();
  }

  /** The embedded H2 file under {@code .convoforge/registry} of the working directory. */
  public static String defaultRegistryUrl() {
    return Registry.defaultUrl(Path.of(".convoforge", "registry"));
  }
}
