package io.convoforge.core.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import io.convoforge.core.input.InputException;
import io.convoforge.core.input.InputFiles;
import io.convoforge.core.input.JsonSchemas;
import io.convoforge.core.input.Problem;
import io.convoforge.core.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Loads a recipe YAML: finds its family by {@code kind} (default {@value #DEFAULT_KIND}, for
 * recipes written before families), resolves the family's path keys (a path, or a list of
 * paths) against the recipe's folder, applies {@code --set key=value} overrides (dotted keys reach into sections; values are
 * YAML, so {@code --set stages=[sample,plan]} works; paths given with --set resolve against the
 * current directory), and validates the result against the core recipe schema ({@code
 * schemas/recipe.schema.json}) joined with the family's.
 */
public final class RecipeLoader {
  public static final String DEFAULT_KIND = "tool-use";
  private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

  private RecipeLoader() {}

  /** Loads {@code file}; {@code kinds} finds the family of a kind (an input error if none). */
  public static Recipe load(Path file, List<String> overrides,
      BiFunction<String, String, ? extends RecipeKind> kinds) {
    String name = file.toString();
    Map<String, Object> values = new LinkedHashMap<>(InputFiles.parseYamlMapping(name,
        InputFiles.read(file), "a YAML mapping of recipe keys"));
    for (String o : overrides) {
      if (o.startsWith("kind=")) {
        applyOverride(values, o);
      }
    }
    Object kind = values.getOrDefault("kind", DEFAULT_KIND);
    RecipeKind family = kinds.apply(String.valueOf(kind), name);
    Path base = file.toAbsolutePath().getParent();
    for (String key : family.pathKeys()) {
      Object v = values.get(key);
      if (v instanceof String s) {
        values.put(key, display(base.resolve(s)));
      } else if (v instanceof List<?> list) {
        // A key may name several files (paths or globs): each resolves like a single path.
        List<Object> resolved = new ArrayList<>(list.size());
        list.forEach(e -> resolved.add(e instanceof String s ? display(base.resolve(s)) : e));
        values.put(key, resolved);
      }
    }
    for (String o : overrides) {
      applyOverride(values, o);
    }
    validate(name, family, values);
    return new Recipe(name, values, family.defaults());
  }

  /** A path as the user would write it: relative to the current directory when under it. */
  public static String display(Path p) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }

  @SuppressWarnings("unchecked")
  static void applyOverride(Map<String, Object> values, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new InputException("--set " + override, null, "expected key=value");
    }
    String key = override.substring(0, eq).trim();
    Object value = InputFiles.parseYamlValue(override.substring(eq + 1));
    String[] parts = key.split("\\.");
    Map<String, Object> at = values;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = at.get(parts[i]);
      next = next instanceof Map ? new LinkedHashMap<>((Map<String, Object>) next)
          : new LinkedHashMap<String, Object>();
      at.put(parts[i], next);
      at = (Map<String, Object>) next;
    }
    at.put(parts[parts.length - 1], value);
  }

  private static void validate(String file, RecipeKind family, Map<String, Object> values) {
    JsonNode node = Json.MAPPER.valueToTree(values);
    List<Problem> problems = new ArrayList<>();
    for (Error e : schema(family).validate(node)) {
      String at = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
      problems.add(new Problem(file, "field " + at, e.getMessage()));
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
  }

  /** The core recipe schema joined with the family's (see {@link RecipeKind#recipeSchema}). */
  public static JsonNode joinedSchema(RecipeKind family) {
    ObjectNode core;
    try (InputStream in = RecipeLoader.class.getResourceAsStream("/schemas/recipe.schema.json")) {
      core = (ObjectNode) Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode fam = family.recipeSchema();
    ObjectNode props = (ObjectNode) core.get("properties");
    Iterator<Map.Entry<String, JsonNode>> it = fam.path("properties").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode mine = props.get(e.getKey());
      if (mine != null && mine.has("properties") && e.getValue().has("properties")) {
        ((ObjectNode) mine.get("properties")).setAll((ObjectNode) e.getValue().get("properties"));
      } else {
        props.set(e.getKey(), e.getValue());
      }
    }
    Set<String> required = new LinkedHashSet<>();
    core.path("required").forEach(r -> required.add(r.asText()));
    fam.path("required").forEach(r -> required.add(r.asText()));
    ArrayNode req = core.putArray("required");
    required.forEach(req::add);
    if (fam.has("$defs")) {
      core.set("$defs", fam.get("$defs"));
    }
    return core;
  }

  private static Schema schema(RecipeKind family) {
    return SCHEMAS.computeIfAbsent(family.kind(),
        k -> JsonSchemas.compile(joinedSchema(family)));
  }
}
