package io.convoforge.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A dead-letter record: an element a stage dropped, whatever it was (a chunk, a Q&A pair, a
 * conversation), with its {@code slice}, the {@code stage}, a short machine-readable {@code
 * reason} (the key counted in the report), a human {@code detail}, the raw backend response where
 * there was one, and the element as the stage received it, as JSON (its {@link Record} envelope,
 * without the embedding).
 */
@JsonPropertyOrder({"id", "slice", "stage", "reason", "detail", "raw_response", "element"})
public record Rejected(
    String id,
    Map<String, String> slice,
    String stage,
    String reason,
    String detail,
    @JsonProperty("raw_response") String rawResponse,
    JsonNode element) {

  public Rejected {
    slice = slice == null ? Map.of() : Canonical.sorted(slice);
  }

  public static Rejected of(Record<?> r, String stage, String reason, String detail) {
    return of(r, stage, reason, detail, null);
  }

  public static Rejected of(
      Record<?> r, String stage, String reason, String detail, String rawResponse) {
    return new Rejected(r.id(), r.slice(), stage, reason, detail, rawResponse,
        Json.tree(r.embedding() == null ? r : r.withEmbedding(null)));
  }

  /** The rejection that {@code e} says. */
  public static Rejected of(Record<?> r, String stage, RejectException e) {
    return of(r, stage, e.reason(), e.getMessage(), e.rawResponse());
  }
}
