package io.convoforge.embed;

import io.convoforge.schema.InputException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Embedding providers by the name a recipe gives in {@code embed.provider} (default {@code
 * local}), each mapping the recipe's {@code embed} section to a factory. A remote provider
 * (OpenAI, Gemini) registers here with one line.
 */
public final class Embedders {
  private static final Map<String, Function<Map<String, Object>, EmbedderFactory>> PROVIDERS =
      new TreeMap<>();

  static {
    register("local", LocalOnnxEmbedder::fromSettings);
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
}
