package io.convoforge.core.embed;

import io.convoforge.core.input.InputException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Embedding providers by the name a recipe gives in {@code embed.provider} (default {@code
 * local}, the in-process ONNX model), each mapping the recipe's {@code embed} section to a
 * factory. Other providers plug in through {@link EmbeddingProvider} (the remote ones, {@code
 * openai}, {@code gemini} and {@code vertex}, through the LLM clients).
 *
 * <p>{@link #create(Map, Map, String)} hands the provider the {@code embed} section plus two
 * context entries a remote provider connects with: {@link #LLM}, the recipe's {@code llm} section,
 * and {@link #RUN_ID}, which names the run's shared throttle budget.
 */
public final class Embedders {
  /** Context entry: the recipe's {@code llm} section (connection settings, no key). */
  public static final String LLM = "_llm";
  /** Context entry: the run id. */
  public static final String RUN_ID = "_run_id";

  private static final Map<String, Function<Map<String, Object>, EmbedderFactory>> PROVIDERS =
      new TreeMap<>();

  static {
    register("local", LocalOnnxEmbedder::fromSettings);
    for (EmbeddingProvider p : java.util.ServiceLoader.load(EmbeddingProvider.class)) {
      for (String name : p.names()) {
        register(name, section -> p.create(name, section));
      }
    }
  }

  private Embedders() {}

  public static synchronized void register(
      String name, Function<Map<String, Object>, EmbedderFactory> factory) {
    PROVIDERS.put(name, factory);
  }

  public static synchronized EmbedderFactory create(Map<String, Object> embedSection) {
    String provider = String.valueOf(embedSection.getOrDefault("provider", "local"));
    Function<Map<String, Object>, EmbedderFactory> f = PROVIDERS.get(provider);
    if (f == null) {
      throw new InputException("recipe", "field embed.provider", "unknown embedding provider '"
          + provider + "'; expected one of " + PROVIDERS.keySet());
    }
    return f.apply(embedSection);
  }

  /** {@link #create(Map)} with the run's context: its {@code llm} section and id. */
  public static EmbedderFactory create(Map<String, Object> embedSection,
      Map<String, Object> llmSection, String runId) {
    Map<String, Object> s = new LinkedHashMap<>(embedSection);
    s.put(LLM, llmSection == null ? Map.of() : llmSection);
    s.put(RUN_ID, runId);
    return create(s);
  }
}
