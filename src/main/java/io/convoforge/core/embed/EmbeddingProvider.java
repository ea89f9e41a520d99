package io.convoforge.core.embed;

import java.util.List;
import java.util.Map;

/**
 * A plug-in source of embeddings, found through {@link java.util.ServiceLoader} ({@code
 * META-INF/services/io.convoforge.core.embed.EmbeddingProvider}): the names a recipe's {@code
 * embed.provider} may give for it, and the factory for a recipe's {@code embed} section.
 */
public interface EmbeddingProvider {
  List<String> names();

  /** The factory of provider {@code name} for the {@code embed} section (see {@link Embedders}). */
  EmbedderFactory create(String name, Map<String, Object> embedSection);
}
