package io.convoforge.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import io.convoforge.model.Json;
import io.convoforge.schema.InputException;
import io.convoforge.schema.JsonSchemas;
import io.convoforge.schema.Problem;
import io.convoforge.schema.SchemaLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a recipe YAML, applies {@code --set key=value} overrides (dotted keys reach into sections;
 * values are YAML, so {@code --set stages=[sample,plan]} works), resolves relative paths and
 * validates the result against {@code schemas/recipe.schema.json}.
 */
public final class RecipeLoader {
  /** Keys whose values are paths: relative to the recipe file when written in it. */
  public static final Set<String> PATH_KEYS = Set.of("schema", "tasks", "phrases");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static volatile Schema recipeSchema;

  private RecipeLoader() {}

  public static Recipe load(Path file, List<String> overrides) {
    String name = file.toString();
    String text = SchemaLoader.readFile(file);
    if (text.isBlank()) {
      throw new InputException(name, null, "the file is empty; expected a recipe (YAML mapping)");
    }
    Map<String, Object> values;
    try {
      Object parsed = YAML.readValue(text, Object.class);
      if (!(parsed instanceof Map)) {
        throw new InputException(name, null, "expected a YAML mapping of recipe keys");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) parsed;
      values = new LinkedHashMap<>(m);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      String where = e.getLocation() == null ? null : "line " + e.getLocation().getLineNr();
      throw new InputException(name, where, "malformed YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path base = file.toAbsolutePath().getParent();
    for (String key : PATH_KEYS) {
      Object v = values.get(key);
      if (v instanceof String) {
        values.put(key, display(base.resolve((String) v)));
      }
    }
    for (String o : overrides) {
      applyOverride(name, values, o);
    }
    validate(name, values);
    return new Recipe(name, values);
  }

  /** A path as the user would write it: relative to the current directory when under it. */
  public static String display(Path p) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }

  @SuppressWarnings("unchecked")
  static void applyOverride(String file, Map<String, Object> values, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new InputException("--set " + override, null, "expected key=value");
    }
    String key = override.substring(0, eq).trim();
    String raw = override.substring(eq + 1);
    Object value;
    try {
      value = raw.isEmpty() ? "" : YAML.readValue(raw, Object.class);
    } catch (IOException e) {
      value = raw;
    }
    String[] parts = key.split("\\.");
    Map<String, Object> at = values;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = at.get(parts[i]);
      if (!(next instanceof Map)) {
        next = new LinkedHashMap<String, Object>();
      } else {
        next = new LinkedHashMap<>((Map<String, Object>) next);
      }
      at.put(parts[i], next);
      at = (Map<String, Object>) next;
    }
    at.put(parts[parts.length - 1], value);
  }

  private static void validate(String file, Map<String, Object> values) {
    JsonNode node = Json.MAPPER.valueToTree(values);
    List<Problem> problems = new ArrayList<>();
    for (Error e : schema().validate(node)) {
      String at = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
      problems.add(new Problem(file, "field " + at, e.getMessage()));
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
  }

  private static Schema schema() {
    if (recipeSchema == null) {
      try (InputStream in = RecipeLoader.class.getResourceAsStream("/schemas/recipe.schema.json")) {
        recipeSchema = JsonSchemas.compile(Json.MAPPER.readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return recipeSchema;
  }
}
