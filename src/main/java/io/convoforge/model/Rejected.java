package io.convoforge.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A dead-letter record: an element a stage dropped, with the stage, a short machine-readable
 * {@code reason} (the key counted in the report), a human {@code detail}, the raw backend response
 * where there was one, and the element as it was when the stage received it.
 */
@JsonPropertyOrder({"id", "task_id", "chain_id", "stage", "reason", "detail", "raw_response",
    "element"})
public record Rejected(
    String id,
    @JsonProperty("task_id") String taskId,
    @JsonProperty("chain_id") String chainId,
    String outcome,
    String stage,
    String reason,
    String detail,
    @JsonProperty("raw_response") String rawResponse,
    Conversation element) {

  public static Rejected of(Conversation c, String stage, String reason, String detail) {
    return of(c, stage, reason, detail, null);
  }

  public static Rejected of(
      Conversation c, String stage, String reason, String detail, String rawResponse) {
    return new Rejected(c.id(), c.taskId(), c.chainId(), c.outcome(), stage, reason, detail,
        rawResponse, c);
  }
}
