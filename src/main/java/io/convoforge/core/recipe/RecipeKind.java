package io.convoforge.core.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/** What the loader needs to know of a recipe's family: its keys, path keys and defaults. */
public interface RecipeKind {
  /** The {@code kind:} of its recipes: tool-use, grounded-qa, ... */
  String kind();

  /**
   * The JSON Schema (draft 2020-12) of the family's recipe keys: an object schema whose {@code
   * properties} (and {@code required}) join the core recipe schema's; for the core sections
   * ({@code gates}, {@code judge}...) its properties join the section's.
   */
  JsonNode recipeSchema();

  /**
   * Recipe keys whose values are file paths, or lists of file paths (relative to the recipe file
   * when written in it, to the current directory when given with {@code --set}).
   */
  Set<String> pathKeys();

  /**
   * Values a recipe of this family gets where it gives none ({@code stages}, {@code turns},
   * sections merged key by key); they are not hashed into the run id.
   */
  Map<String, Object> defaults();
}
