package io.convoforge.recipe;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A loaded recipe with its overrides applied and relative paths resolved. Plain values only, so
 * it can travel inside transforms; read once in the launcher.
 */
public final class Recipe implements Serializable {
  public static final List<String> DEFAULT_STAGES =
      List.of("sample", "plan", "args", "utterances", "judge", "filter");

  private final String file;
  private final Map<String, Object> values;

  Recipe(String file, Map<String, Object> values) {
    this.file = file;
    this.values = values;
  }

  public String file() {
    return file;
  }

  public Map<String, Object> values() {
    return values;
  }

  public String name() {
    return string("name", "recipe");
  }

  public String schemaPath() {
    return string("schema", null);
  }

  public String tasksPath() {
    return string("tasks", null);
  }

  public String phrasesPath() {
    return string("phrases", null);
  }

  public Integer count() {
    Object c = values.get("count");
    return c == null ? null : ((Number) c).intValue();
  }

  public long seed() {
    Object s = values.get("seed");
    return s == null ? 1L : ((Number) s).longValue();
  }

  public String backend() {
    return string("backend", "offline");
  }

  @SuppressWarnings("unchecked")
  public List<String> stages() {
    Object s = values.get("stages");
    return s == null ? DEFAULT_STAGES : List.copyOf((List<String>) s);
  }

  public double failureShare() {
    return number(section("sampling").get("failure_share"), 0.0);
  }

  public int turnsMin() {
    return (int) number(section("turns").get("min"), 5);
  }

  public int turnsMax() {
    return (int) number(section("turns").get("max"), 10);
  }

  public double judgeMinScore() {
    return number(section("judge").get("min_score"), 1.0);
  }

  @SuppressWarnings("unchecked")
  public List<String> judgeRequired() {
    Object r = section("judge").get("required");
    return r == null ? List.of() : List.copyOf((List<String>) r);
  }

  public int shards() {
    return (int) number(section("output").get("shards"), 1);
  }

  @SuppressWarnings("unchecked")
  public List<Chain> chains() {
    Object c = values.get("chains");
    List<Chain> out = new ArrayList<>();
    if (c == null) {
      return out;
    }
    for (Map<String, Object> m : (List<Map<String, Object>>) c) {
      out.add(new Chain(String.valueOf(m.get("id")), String.valueOf(m.get("task")),
          String.valueOf(m.get("outcome")), ((Number) m.get("count")).intValue(),
          m.get("fail_at") == null ? null : String.valueOf(m.get("fail_at"))));
    }
    return out;
  }

  /** A nested mapping such as {@code judge} or {@code gates}; empty when absent. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> section(String name) {
    Object s = values.get(name);
    return s instanceof Map ? (Map<String, Object>) s : Map.of();
  }

  public String string(String key, String dflt) {
    Object v = values.get(key);
    return v == null ? dflt : String.valueOf(v);
  }

  private static double number(Object v, double dflt) {
    return v instanceof Number ? ((Number) v).doubleValue() : dflt;
  }
}
