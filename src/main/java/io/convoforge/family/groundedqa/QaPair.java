package io.convoforge.family.groundedqa;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A question a customer could ask about one chunk, its answer, and the passage of the chunk that
 * supports the answer. {@link Grounding#validate} checks the three against the chunk.
 *
 * @param id deterministic, derived from the chunk id, question and evidence
 * @param chunkId the {@link Chunk#id()} the pair was taken from
 * @param heading the chunk's heading, carried along for the dialogue stage
 * @param evidence a verbatim passage of the chunk's text (whitespace runs aside)
 */
public record QaPair(
    String id,
    @JsonProperty("chunk_id") String chunkId,
    String heading,
    String question,
    String answer,
    String evidence) {
  public QaPair {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(chunkId, "chunk_id");
    heading = heading == null ? "" : heading;
    question = question == null ? "" : question;
    answer = answer == null ? "" : answer;
    evidence = evidence == null ? "" : evidence;
  }
}
