package io.convoforge.core.family;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.model.RecordCodec;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.core.recipe.RecipeKind;
import java.util.List;

/**
 * A recipe family: one kind of dataset (tool-use conversations, grounded Q&A dialogues, ...) as
 * a plug-in. Found through {@link java.util.ServiceLoader} ({@code
 * META-INF/services/io.convoforge.core.family.RecipeFamily}) by the {@code kind} a recipe names;
 * core never names a family. A family supplies its recipe keys ({@link RecipeKind}: a JSON
 * Schema merged into the core recipe schema, which keys are paths, defaults), the loading and
 * checking of its inputs ({@link #prepare}, giving a {@link FamilyRun}: source, stages, judge
 * rules, gates, report, sinks), the codec of its output format, and optional commands.
 */
public interface RecipeFamily extends RecipeKind {
  /**
   * Loads and checks every input the recipe names; {@code count} overrides the recipe's size
   * ({@code --count}). Bad input is an {@link io.convoforge.core.input.InputException} naming
   * the file and the line or field.
   */
  FamilyRun prepare(Recipe recipe, Integer count);

  /** How records of this family are written to and read from its output files. */
  RecordCodec codec();

  /**
   * Recipe overrides of {@code run --trial}: a small run whose funnel and pass rates show
   * whether the recipe is worth running in full (empty: the recipe as it is).
   */
  default List<String> trialOverrides() {
    return List.of();
  }

  /**
   * Lines the family adds to the summary a run prints and {@code stats DIR} shows, from the
   * dataset's report.json (its own sections), e.g. verified counts; empty by default.
   */
  default List<String> reportLines(JsonNode report) {
    return List.of();
  }

  /** Picocli command objects the family adds to the command line (tools, repair, inspect...). */
  default List<Object> commands() {
    return List.of();
  }

  /**
   * What the family adds to exports of a dataset made with {@code recipe} (system prompt, tools,
   * roles, siblings, caveats); {@code recipe} is null when the dataset's recipe cannot be found,
   * and the profile must then fall back on what the records say. Bad inputs the recipe names
   * are an {@link io.convoforge.core.input.InputException}. Default: {@link
   * ExportProfile#DEFAULT}.
   */
  default ExportProfile exportProfile(Recipe recipe) {
    return ExportProfile.DEFAULT;
  }
}
