package io.convoforge.core.embed;

import java.util.List;

/**
 * Turns texts into unit-length vectors. Opened on the worker by an {@link EmbedderFactory}; the
 * local ONNX implementation shares one model per JVM, a remote one (OpenAI, Gemini) would hold a
 * client with its throttle. Implementations are thread-safe.
 */
public interface Embedder extends AutoCloseable {
  /** One vector per text, in order, each of {@link #dimension()} floats and L2-normalised. */
  List<float[]> embed(List<String> texts);

  /**
   * Like {@link #embed}, but a text that cannot be embedded (a permanent provider error, or the
   * retries running out) comes back as its reason instead of failing the whole batch. Any other
   * failure still throws.
   */
  default Embedded embedEach(List<String> texts) {
    return Embedded.all(embed(texts));
  }

  int dimension();

  @Override
  default void close() {}
}
