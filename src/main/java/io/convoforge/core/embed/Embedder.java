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

  int dimension();

  @Override
  default void close() {}
}
