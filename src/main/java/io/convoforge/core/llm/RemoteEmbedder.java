package io.convoforge.core.llm;

import io.convoforge.core.embed.Embedded;
import io.convoforge.core.embed.Embedder;
import io.convoforge.core.embed.EmbedderFactory;
import io.convoforge.core.embed.Embedders;
import io.convoforge.core.embed.EmbeddingProvider;
import io.convoforge.core.embed.Vectors;
import io.convoforge.core.input.InputException;
import io.convoforge.core.util.Seeds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Embeddings from a remote endpoint through the LLM backends' SDK clients: {@code openai}
 * ({@code /embeddings}), {@code gemini} (Gemini API {@code batchEmbedContents}) and {@code vertex}
 * (Vertex AI {@code predict}). The connection (base URL, key, project/location, limits, cache)
 * is the provider's {@link LlmSettings}: {@code conf/<provider>.yaml} overridden by the recipe's
 * {@code llm} section, itself overridden by {@code embed.llm}.
 *
 * <p>In: a batch of texts. Each text is looked up in the response cache first (key: provider,
 * base URL, model, dimensions, task type, text); the misses (identical texts once) go out in
 * requests of at most the provider's limit, each one request under the run's shared {@link
 * Throttle} with the same retries as the LLM stages ({@link CallLoop}). Out: unit vectors, in
 * order; each new vector is written to the cache. Metrics under stage {@code embed}: calls,
 * retries, 429s, tokens and cost when the provider reports tokens, and one cache hit per text
 * served from the cache. Failures: after the last attempt, or on a permanent error (a 4xx, such
 * as an unknown model), the texts of that request come back from {@link #embedEach} with the
 * reason (the embed stage rejects their elements {@code llm_error}); {@link #embed} throws. A
 * permanent error counts towards the run's {@link RunBreaker}.
 */
public final class RemoteEmbedder implements Embedder {
  static final String STAGE = "embed";
  private static final Set<String> KEYS = Set.of("provider", "model", "dimensions", "task_type",
      "text", "batch_size", "keep", "llm", Embedders.LLM, Embedders.RUN_ID);
  private static final Set<String> TASK_TYPES = Set.of("SEMANTIC_SIMILARITY", "CLASSIFICATION",
      "CLUSTERING", "RETRIEVAL_DOCUMENT", "RETRIEVAL_QUERY", "QUESTION_ANSWERING",
      "FACT_VERIFICATION", "CODE_RETRIEVAL_QUERY");
  /** Known models and their full dimension (used when the endpoint is the vendor's own). */
  private static final Map<String, Map<String, Integer>> MODELS = Map.of(
      LlmBackend.OPENAI, Map.of("text-embedding-3-small", 1536, "text-embedding-3-large", 3072,
          "text-embedding-ada-002", 1536),
      LlmBackend.GEMINI, Map.of("gemini-embedding-001", 3072, "text-embedding-004", 768),
      LlmBackend.VERTEX, Map.of("gemini-embedding-001", 3072, "text-embedding-005", 768,
          "text-embedding-004", 768, "text-multilingual-embedding-002", 768));

  private final Factory f;
  private final LlmClient client;
  private final ResponseCache cache;
  private final CallMeter meter;
  private volatile int dimension;

  private RemoteEmbedder(Factory f, LlmClient client) {
    this.f = f;
    this.client = client;
    this.cache = f.settings().cacheEnabled() ? new ResponseCache(f.settings().cacheDir()) : null;
    this.meter = new CallMeter();
    Integer known = MODELS.get(f.provider()).get(f.model());
    this.dimension = f.dimensions() != null ? f.dimensions() : known == null ? 0 : known;
  }

  /** The provider {@code openai}, {@code gemini} and {@code vertex}, for {@link Embedders}. */
  public static final class Provider implements EmbeddingProvider {
    @Override
    public List<String> names() {
      return List.of(LlmBackend.OPENAI, LlmBackend.GEMINI, LlmBackend.VERTEX);
    }

    @Override
    public EmbedderFactory create(String name, Map<String, Object> embedSection) {
      return fromSettings(name, embedSection);
    }
  }

  /** The factory for a recipe's {@code embed} section, as completed by {@link Embedders}. */
  @SuppressWarnings("unchecked")
  static EmbedderFactory fromSettings(String provider, Map<String, Object> embed) {
    for (String k : embed.keySet()) {
      if (!KEYS.contains(k)) {
        throw new InputException("recipe", "field embed." + k, "unknown setting for embedding"
            + " provider '" + provider + "'; expected some of " + new TreeSet<>(
                KEYS.stream().filter(x -> !x.startsWith("_")).toList()));
      }
    }
    Map<String, Object> llm = new LinkedHashMap<>();
    if (embed.get(Embedders.LLM) instanceof Map<?, ?> m) {
      llm.putAll((Map<String, Object>) m);
    }
    if (embed.get("llm") instanceof Map<?, ?> m) {
      LlmBackend.deepMerge(llm, (Map<String, Object>) m);
    } else if (embed.get("llm") != null) {
      throw new InputException("recipe", "field embed.llm", "must be a mapping of llm settings");
    }
    LlmSettings s = LlmBackend.settings(provider, llm, "embed.provider " + provider);
    Map<String, Integer> known = MODELS.get(provider);
    String model = embed.get("model") == null ? defaultModel(provider)
        : String.valueOf(embed.get("model")).trim();
    if (model.isEmpty()) {
      throw new InputException("recipe", "field embed.model", "must not be empty");
    }
    if (!known.containsKey(model) && s.baseUrl() == null) {
      throw new InputException("recipe", "field embed.model", "unknown " + provider
          + " embedding model '" + model + "'; expected one of " + new TreeSet<>(
              known.keySet()) + " (any name is accepted with llm.base_url, for a compatible"
          + " server)");
    }
    Integer dims = null;
    Object d = embed.get("dimensions");
    if (d != null) {
      if (!(d instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 1) {
        throw new InputException("recipe", "field embed.dimensions",
            "must be a positive integer, got " + d);
      }
      dims = n.intValue();
      if ("text-embedding-ada-002".equals(model)) {
        throw new InputException("recipe", "field embed.dimensions",
            "text-embedding-ada-002 has a fixed size; drop embed.dimensions or use"
                + " text-embedding-3-small");
      }
      if (known.containsKey(model) && dims > known.get(model)) {
        throw new InputException("recipe", "field embed.dimensions", model + " has at most "
            + known.get(model) + " dimensions, got " + dims);
      }
    }
    String task = null;
    if (embed.get("task_type") != null) {
      task = String.valueOf(embed.get("task_type")).trim().toUpperCase(Locale.ROOT);
      if (LlmBackend.OPENAI.equals(provider)) {
        throw new InputException("recipe", "field embed.task_type",
            "only gemini and vertex take a task type");
      }
      if (!TASK_TYPES.contains(task)) {
        throw new InputException("recipe", "field embed.task_type", "unknown task type '"
            + embed.get("task_type") + "'; expected one of " + new TreeSet<>(TASK_TYPES));
      }
    } else if (!LlmBackend.OPENAI.equals(provider)) {
      task = "SEMANTIC_SIMILARITY";
    }
    Object run = embed.get(Embedders.RUN_ID);
    return new Factory(provider, model, dims, task, s, run == null ? "local" : run.toString());
  }

  private static String defaultModel(String provider) {
    return LlmBackend.OPENAI.equals(provider) ? "text-embedding-3-small" : "gemini-embedding-001";
  }

  /** Texts per request: the provider's documented limit. */
  private int requestLimit() {
    switch (f.provider()) {
      case LlmBackend.OPENAI:
        return 2048;
      case LlmBackend.GEMINI:
        return 100;
      default:
        // On Vertex AI the Gemini embedding models take one text per request, the others 250.
        return f.model().startsWith("gemini-embedding") ? 1 : 250;
    }
  }

  /** Every text's vector; fails (so the bundle does) when some text could not be embedded. */
  @Override
  public List<float[]> embed(List<String> texts) {
    Embedded e = embedEach(texts);
    for (String err : e.errors()) {
      if (err != null) {
        throw new IllegalStateException(err);
      }
    }
    return e.vectors();
  }

  @Override
  public Embedded embedEach(List<String> texts) {
    LlmSettings s = f.settings();
    float[][] out = new float[texts.size()][];
    String[] errors = new String[texts.size()];
    Map<String, List<Integer>> misses = new LinkedHashMap<>();
    for (int i = 0; i < texts.size(); i++) {
      String t = texts.get(i) == null || texts.get(i).isBlank() ? "(empty)" : texts.get(i);
      if (cache != null) {
        Entry hit = cache.get(key(t), Entry.class);
        if (hit != null && hit.vector() != null && hit.vector().length > 0) {
          meter.cacheHits.inc();
          out[i] = hit.vector();
          continue;
        }
      }
      misses.computeIfAbsent(t, k -> new ArrayList<>()).add(i);
    }
    List<String> pending = new ArrayList<>(misses.keySet());
    int limit = requestLimit();
    for (int from = 0; from < pending.size(); from += limit) {
      List<String> chunk = pending.subList(from, Math.min(pending.size(), from + limit));
      EmbedReply reply;
      try {
        reply = request(s, chunk);
      } catch (LlmException e) {
        String why = f.provider() + " embeddings with model '" + f.model() + "': "
            + e.getMessage() + (e.kind() == LlmException.Kind.PERMANENT
                ? " (refused: check embed.model, embed.dimensions and the API key)" : "");
        for (String t : chunk) {
          for (int i : misses.get(t)) {
            errors[i] = why;
          }
        }
        continue;
      }
      meter.tokensIn.inc(reply.tokens());
      meter.costMicros.inc(Math.round(reply.tokens() * s.priceOf(f.model(), "input")));
      for (int j = 0; j < chunk.size(); j++) {
        float[] v = Vectors.normalized(reply.vectors().get(j));
        for (int i : misses.get(chunk.get(j))) {
          out[i] = v;
        }
        if (cache != null) {
          try {
            cache.put(key(chunk.get(j)), new Entry(v));
          } catch (IOException e) {
            meter.cacheErrors.inc();
          }
        }
      }
    }
    for (float[] v : out) {
      if (v != null) {
        dimension = v.length;
        break;
      }
    }
    return new Embedded(Arrays.asList(out), Arrays.asList(errors));
  }

  /**
   * One request of at most the provider's limit under the throttle and retries; a permanent
   * error counts towards the run's {@link RunBreaker} (which may stop the run).
   */
  private EmbedReply request(LlmSettings s, List<String> chunk) throws LlmException {
    long est = 0;
    for (String t : chunk) {
      est += t.length() / 4 + 1;
    }
    Throttle throttle = Throttle.forRun(f.runId(), s,
        (int) Math.floorMod(Seeds.hash(chunk.get(0)), (long) s.shards()));
    RunBreaker breaker = RunBreaker.forRun(f.runId());
    EmbedReply reply;
    try {
      reply = CallLoop.run(s, throttle, meter, est,
          () -> client.embed(f.model(), chunk, f.dimensions(), f.taskType()), EmbedReply::tokens);
    } catch (LlmException e) {
      if (e.kind() == LlmException.Kind.PERMANENT) {
        breaker.permanent(f.provider(), STAGE, e.getMessage(), s.stopAfterErrors());
      }
      throw e;
    }
    if (reply.vectors().size() != chunk.size()) {
      throw new LlmException(LlmException.Kind.TRANSIENT, reply.vectors().size()
          + " vectors for " + chunk.size() + " texts", -1);
    }
    breaker.success();
    return reply;
  }

  private String key(String text) {
    return ResponseCache.embeddingKey(f.provider(), f.settings().baseUrl(), f.model(),
        f.dimensions(), f.taskType(), text);
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public void close() {
    client.close();
  }

  /** A cached vector (already unit length). */
  public record Entry(float[] vector) {}

  /**
   * Serializable description: provider, model, parameters, the merged connection settings (no
   * key) and the run id that names the shared throttle budget.
   */
  record Factory(String provider, String model, Integer dimensions, String taskType,
      LlmSettings settings, String runId) implements EmbedderFactory {
    @Override
    public String name() {
      return provider + ":" + model + (dimensions == null ? "" : "@" + dimensions);
    }

    @Override
    public Embedder open() {
      return new RemoteEmbedder(this, LlmBackend.client(settings));
    }
  }
}
