package io.convoforge.core.recipe;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded recipe with its overrides applied and relative paths resolved. Plain values only, so
 * it can travel inside transforms; read once in the launcher. Keys the recipe leaves out fall
 * back on its family's defaults (sections merged key by key), which are not part of {@link
 * #values()}: the run id hashes what the user wrote.
 */
public final class Recipe implements Serializable {
  private final String file;
  private final Map<String, Object> values;
  private final Map<String, Object> defaults;

  Recipe(String file, Map<String, Object> values, Map<String, Object> defaults) {
    this.file = file;
    this.values = values;
    this.defaults = defaults;
  }

  public String file() {
    return file;
  }

  /** The values the recipe file and its overrides give (no defaults). */
  public Map<String, Object> values() {
    return values;
  }

  public String name() {
    return string("name", "recipe");
  }

  /** The family: the recipe's {@code kind}. */
  public String kind() {
    return string("kind", RecipeLoader.DEFAULT_KIND);
  }

  public Integer count() {
    Object c = value("count");
    return c == null ? null : ((Number) c).intValue();
  }

  public long seed() {
    Object s = value("seed");
    return s == null ? 1L : ((Number) s).longValue();
  }

  public String backend() {
    return string("backend", "offline");
  }

  /** The stages to run, in order, the source first. */
  @SuppressWarnings("unchecked")
  public List<String> stages() {
    Object s = value("stages");
    return s == null ? List.of() : List.copyOf((List<String>) s);
  }

  public int turnsMin() {
    return (int) number(section("turns").get("min"), 1);
  }

  public int turnsMax() {
    return (int) number(section("turns").get("max"), Integer.MAX_VALUE);
  }

  public int shards() {
    return (int) number(section("output").get("shards"), 1);
  }

  /**
   * A copy with {@code key} set to {@code value}, as if the recipe had said so (it counts in
   * {@link #values()}, hence in the run id): how the launcher records what {@code backend: auto}
   * resolved to.
   */
  public Recipe with(String key, Object value) {
    Map<String, Object> v = new LinkedHashMap<>(values);
    v.put(key, value);
    return new Recipe(file, v, defaults);
  }

  /** A value, or the family's default. */
  public Object value(String key) {
    Object v = values.get(key);
    return v != null ? v : defaults.get(key);
  }

  /**
   * A nested mapping such as {@code judge} or {@code gates}: the family's defaults overridden
   * key by key by the recipe's; empty when both are absent.
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> section(String name) {
    Object d = defaults.get(name);
    Object s = values.get(name);
    if (!(d instanceof Map)) {
      return s instanceof Map ? (Map<String, Object>) s : Map.of();
    }
    Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) d);
    if (s instanceof Map) {
      merged.putAll((Map<String, Object>) s);
    }
    return merged;
  }

  public String string(String key, String dflt) {
    Object v = value(key);
    return v == null ? dflt : String.valueOf(v);
  }

  /** A number of {@code section}, or {@code dflt}. */
  public double number(String section, String key, double dflt) {
    return number(section(section).get(key), dflt);
  }

  private static double number(Object v, double dflt) {
    return v instanceof Number ? ((Number) v).doubleValue() : dflt;
  }
}
