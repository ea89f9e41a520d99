package io.convoforge.core.embed;

import java.io.Serializable;

/**
 * The serializable description of an embedder, travelling inside transforms; {@link #open()}
 * builds (or reuses) the embedder on the worker, in {@code @Setup}. Never holds a secret: a
 * remote implementation resolves its key when it opens.
 */
public interface EmbedderFactory extends Serializable {
  /** A stable name (provider and model) recorded in lineage. */
  String name();

  Embedder open();
}
