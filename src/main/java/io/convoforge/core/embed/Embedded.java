package io.convoforge.core.embed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What an {@link Embedder} made of a batch of texts, in order: a unit vector for each text, or,
 * for a text the provider could not embed, null and the reason ({@code errors} holds null for
 * the texts that have a vector).
 */
public record Embedded(List<float[]> vectors, List<String> errors) {
  public Embedded {
    if (vectors.size() != errors.size()) {
      throw new IllegalArgumentException(vectors.size() + " vectors but " + errors.size()
          + " error slots");
    }
    vectors = Collections.unmodifiableList(new ArrayList<>(vectors));
    errors = Collections.unmodifiableList(new ArrayList<>(errors));
  }

  /** Every text embedded. */
  public static Embedded all(List<float[]> vectors) {
    return new Embedded(vectors, Collections.nCopies(vectors.size(), null));
  }
}
