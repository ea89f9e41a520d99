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

  /**
   * Keys that change how calls travel, never what is asked or answered: the mode, the batch
   * settings, the cache, the budget, the retries, the grouping and the breaker.
   */
  private static final java.util.Set<String> TRANSPORT = java.util.Set.of("mode", "batch",
      "cache", "max_rpm", "max_tpm", "max_concurrency", "max_attempts", "timeout_seconds",
      "backoff_ms", "shards", "batch_size", "max_buffering_ms", "stop_after_errors");

  /**
   * A recipe's {@code llm} section without the {@link #TRANSPORT} keys (per stage too): what a
   * run's identity depends on, so the same recipe run online or in batch mode, with another
   * cache or budget, writes byte-identical records.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> identity(Map<String, Object> llm) {
    Map<String, Object> out = new java.util.TreeMap<>(llm);
    out.keySet().removeAll(TRANSPORT);
    if (out.get("stages") instanceof Map<?, ?> stages) {
      Map<String, Object> st = new java.util.TreeMap<>();
      ((Map<String, Object>) stages).forEach((k, v) -> {
        if (v instanceof Map<?, ?> m) {
          Map<String, Object> c = new java.util.TreeMap<>((Map<String, Object>) m);
          c.keySet().removeAll(TRANSPORT);
          st.put(k, c);
        } else {
          st.put(k, v);
        }
      });
      out.put("stages", st);
    }
    return out;
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

  /** {@code online} or {@code batch}: {@code llm.stages.<stage>.mode}, then {@code llm.mode}. */
  String mode(String stage) {
    Object m = forStage(stage, "mode");
    return m == null || String.valueOf(m).isBlank() ? ONLINE : String.valueOf(m).trim();
  }

  /** True when the stage's calls go to the provider's batch API. */
  boolean batchMode(String stage) {
    return BATCH.equals(mode(stage));
  }

  static final String ONLINE = "online";
  static final String BATCH = "batch";

  /** A number of the {@code llm.batch} section. */
  @SuppressWarnings("unchecked")
  double batch(String key, double dflt) {
    Object b = values.get("batch");
    Object v = b instanceof Map ? ((Map<String, Object>) b).get(key) : null;
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof String && !((String) v).isBlank()) {
      return Double.parseDouble((String) v);
    }
    return dflt;
  }

  /** A string of the {@code llm.batch} section, or null. */
  @SuppressWarnings("unchecked")
  String batchString(String key) {
    Object b = values.get("batch");
    Object v = b instanceof Map ? ((Map<String, Object>) b).get(key) : null;
    return v == null || String.valueOf(v).isBlank() ? null : String.valueOf(v);
  }

  /** First poll of a submitted batch after this long; the interval then doubles. */
  long batchPollMillis() {
    return (long) batch("poll_ms", 30_000);
  }

  /** The longest interval between two polls of a batch. */
  long batchPollMaxMillis() {
    return Math.max(batchPollMillis(), (long) batch("poll_max_ms", 600_000));
  }

  /** How many times a request is submitted in a batch before it is rejected. */
  int batchMaxSubmissions() {
    return Math.max(1, (int) batch("max_submissions", 3));
  }

  /** Follow-up rounds (re-asks, further asks) of at most this many requests go online. */
  int batchOnlineMax() {
    return Math.max(0, (int) batch("online_max", 16));
  }

  /** Elements collected into one group (one batch per provider limit) per shard. */
  int batchGroupSize() {
    return Math.max(1, (int) batch("group_size", 10_000));
  }

  /** How long a shard's group waits for more elements before it is submitted. */
  long batchMaxBufferingMillis() {
    return (long) batch("max_buffering_ms", 600_000);
  }

  /** Most requests per provider batch (the provider's own limit applies too). */
  int batchMaxRequests() {
    return Math.max(1, (int) batch("max_requests", 50_000));
  }

  /**
   * Where Vertex AI batch prediction reads its input and writes its output (a Beam FileSystems
   * folder, {@code gs://} in production); default {@code <cache>/batch-io} when the cache is on
   * Cloud Storage or the endpoint is local.
   */
  String batchStaging() {
    String s = batchString("staging");
    return s != null ? s : cacheDir().replaceAll("/+$", "") + "/batch-io";
  }

  /**
   * Fraction of the online price paid for a batch request: 1 - {@code batch_discount} (a
   * profile key; 0.5, half price, for OpenAI, the Gemini API and Vertex AI).
   */
  double batchPriceFactor() {
    return 1 - number("batch_discount", 0.5);
  }

  /**
   * After this many consecutive permanent errors with the same cause and no success in between,
   * the run stops ({@code llm.stop_after_errors}; 0 never stops).
   */
  int stopAfterErrors() {
    return (int) number("stop_after_errors", 20);
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
