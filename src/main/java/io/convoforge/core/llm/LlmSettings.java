package io.convoforge.core.llm;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The LLM settings of a run: a {@code conf/<backend>.yaml} profile (or {@code llm.profile}),
 * overridden by the recipe's {@code llm} section, itself overridden by the command line's flags
 * (which arrive as {@code --set llm.x=...}). Plain values; never a key.
 */
public final class LlmSettings implements Serializable {
  private final String provider;
  private final Map<String, Object> values;

  LlmSettings(String provider, Map<String, Object> values) {
    this.provider = provider;
    this.values = new LinkedHashMap<>(values);
  }

  /** Settings of {@code provider} with these values (a profile merged with the recipe's). */
  public static LlmSettings of(String provider, Map<String, Object> values) {
    return new LlmSettings(provider, values);
  }

  public String provider() {
    return provider;
  }

  public Map<String, Object> values() {
    return values;
  }

  /** A stage's value: {@code llm.stages.<stage>.<key>} first, then {@code llm.<key>}. */
  @SuppressWarnings("unchecked")
  Object forStage(String stage, String key) {
    Object stages = values.get("stages");
    if (stages instanceof Map && ((Map<String, Object>) stages).get(stage) instanceof Map) {
      Object v = ((Map<String, Object>) ((Map<String, Object>) stages).get(stage)).get(key);
      if (v != null) {
        return v;
      }
    }
    return values.get(key);
  }

  String model(String stage) {
    Object m = forStage(stage, "model");
    return m == null ? defaultModel() : String.valueOf(m);
  }

  Double temperature(String stage) {
    return dbl(forStage(stage, "temperature"));
  }

  Double topP(String stage) {
    return dbl(forStage(stage, "top_p"));
  }

  Integer maxTokens(String stage) {
    Object v = forStage(stage, "max_tokens");
    return v instanceof Number ? ((Number) v).intValue() : 2048;
  }

  String string(String key) {
    Object v = values.get(key);
    return v == null || String.valueOf(v).isBlank() ? null : String.valueOf(v);
  }

  double number(String key, double dflt) {
    Object v = values.get(key);
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof String && !((String) v).isBlank()) {
      return Double.parseDouble((String) v);
    }
    return dflt;
  }

  String baseUrl() {
    return string("base_url");
  }

  /** Requests per minute for the whole run; 0 = unlimited. */
  double maxRpm() {
    return number("max_rpm", 0);
  }

  /** Tokens per minute for the whole run; 0 = unlimited. */
  double maxTpm() {
    return number("max_tpm", 0);
  }

  /** Calls in flight for the whole run. */
  int maxConcurrency() {
    return (int) number("max_concurrency", 8);
  }

  int maxAttempts() {
    return (int) number("max_attempts", 5);
  }

  double timeoutSeconds() {
    return number("timeout_seconds", 60);
  }

  /** Keyed shards each owning 1/shards of the budget (a cluster parallelises over them). */
  int shards() {
    return Math.max(1, (int) number("shards", 1));
  }

  int batchSize() {
    return Math.max(1, (int) number("batch_size",
        Math.max(64, 16 * Math.max(1, maxConcurrency() / shards()))));
  }

  long maxBufferingMillis() {
    return (long) number("max_buffering_ms", 2000);
  }

  /** Base of the exponential backoff on 5xx and timeouts. */
  long backoffMillis() {
    return (long) number("backoff_ms", 500);
  }

  String cacheDir() {
    String c = values.get("cache") instanceof String ? string("cache") : null;
    return c == null ? ".convoforge/cache" : c;
  }

  boolean cacheEnabled() {
    if (Boolean.FALSE.equals(values.get("cache"))) {
      return false;
    }
    return !"off".equalsIgnoreCase(string("cache")) && !"none".equalsIgnoreCase(
        string("cache"));
  }

  /** US dollars per million input/output tokens of the stage's model, from the profile. */
  double price(String stage, String direction) {
    return priceOf(model(stage), direction);
  }

  /** US dollars per million input/output tokens of a model, from the profile; 0 if unpriced. */
  @SuppressWarnings("unchecked")
  double priceOf(String model, String direction) {
    Object prices = values.get("prices");
    if (!(prices instanceof Map)) {
      return 0;
    }
    Object m = ((Map<String, Object>) prices).get(model);
    if (!(m instanceof Map)) {
      return 0;
    }
    return dbl(((Map<String, Object>) m).get(direction)) == null ? 0
        : dbl(((Map<String, Object>) m).get(direction));
  }

  private String defaultModel() {
    switch (provider) {
      case "openai":
        return "gpt-4.1-mini";
      case "anthropic":
      case "anthropic-vertex":
        return "claude-sonnet-4-5";
      default:
        return "gemini-2.5-flash";
    }
  }

  private static Double dbl(Object v) {
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof String && !((String) v).isBlank()) {
      return Double.parseDouble((String) v);
    }
    return null;
  }
}
