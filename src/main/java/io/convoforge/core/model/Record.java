package io.convoforge.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The envelope every element of every family travels in, from its source to the sinks: a
 * deterministic {@code id}; the {@code recipe} and the family ({@code kind}) that made it; its
 * {@code slice} (the string keys that the report, the gates, sampling and {@code select.per}
 * group by: task, outcome, chain, persona, scenario, difficulty...); the dialogue as {@code
 * messages}; the family's own data ({@code payload}, typed by the family: a chunk, a Q&A pair, a
 * tool-use plan); the judge's {@code judgement}; the {@code embedding} the dedup stage compares
 * (unit vector, dropped before output unless kept); and {@code lineage}.
 *
 * <p>Immutable: each stage returns a copy with its part filled in. Maps are kept in key order so
 * that a record that crossed a coder and one handed over in memory are equal (see {@link
 * Canonical}). Coded by {@link RecordCoder}, which knows the payload's class.
 */
@JsonPropertyOrder({"id", "recipe", "kind", "slice", "messages", "payload", "judgement",
    "embedding", "lineage"})
public record Record<P>(
    String id,
    String recipe,
    String kind,
    Map<String, String> slice,
    List<Message> messages,
    P payload,
    Judgement judgement,
    float[] embedding,
    Map<String, Object> lineage) {

  public Record {
    Objects.requireNonNull(id, "id");
    slice = slice == null ? Map.of() : Canonical.sorted(slice);
    messages = messages == null ? List.of() : List.copyOf(messages);
    lineage = lineage == null ? Map.of() : Canonical.sorted(lineage);
  }

  /** A new record with no messages, judgement or embedding yet. */
  public static <P> Record<P> of(String id, String recipe, String kind, Map<String, String> slice,
      P payload, Map<String, Object> lineage) {
    return new Record<>(id, recipe, kind, slice, List.of(), payload, null, null, lineage);
  }

  /** The slice value of {@code key}, or null. */
  public String slice(String key) {
    return slice.get(key);
  }

  public Record<P> withMessages(List<Message> m) {
    return new Record<>(id, recipe, kind, slice, m, payload, judgement, embedding, lineage);
  }

  public Record<P> withJudgement(Judgement j) {
    return new Record<>(id, recipe, kind, slice, messages, payload, j, embedding, lineage);
  }

  public Record<P> withEmbedding(float[] v) {
    return new Record<>(id, recipe, kind, slice, messages, payload, judgement, v, lineage);
  }

  /** A copy with another payload (of the same or, in a fan-out stage, another type). */
  public <Q> Record<Q> withPayload(Q p) {
    return new Record<>(id, recipe, kind, slice, messages, p, judgement, embedding, lineage);
  }

  /** A copy with one more slice key. */
  public Record<P> withSlice(String key, String value) {
    Map<String, String> s = new TreeMap<>(slice);
    s.put(key, value);
    return new Record<>(id, recipe, kind, s, messages, payload, judgement, embedding, lineage);
  }

  /** A copy with one more lineage entry. */
  public Record<P> withLineage(String key, Object value) {
    Map<String, Object> l = new TreeMap<>(lineage);
    l.put(key, value);
    return new Record<>(id, recipe, kind, slice, messages, payload, judgement, embedding, l);
  }

  /** A child of a fan-out: a new id and payload, the rest inherited. */
  public <Q> Record<Q> child(String childId, Q p) {
    return new Record<>(childId, recipe, kind, slice, messages, p, judgement, null, lineage);
  }

  @JsonProperty("embedding")
  @Override
  public float[] embedding() {
    return embedding;
  }

  // Arrays compare by content, so a record equals its decoded copy.
  @Override
  public boolean equals(Object o) {
    return o instanceof Record<?> r && id.equals(r.id) && Objects.equals(recipe, r.recipe)
        && Objects.equals(kind, r.kind) && slice.equals(r.slice) && messages.equals(r.messages)
        && Objects.equals(payload, r.payload) && Objects.equals(judgement, r.judgement)
        && Arrays.equals(embedding, r.embedding) && lineage.equals(r.lineage);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, slice, messages, payload, judgement, Arrays.hashCode(embedding));
  }

  @Override
  public String toString() {
    return "Record[" + id + " " + kind + " " + slice + "]";
  }
}
