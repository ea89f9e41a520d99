package io.convoforge.family.scenario.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;

/**
 * One message of a call. {@code timestamp} is ISO-8601 with the spec's offset, assigned by the
 * pipeline ({@code Timeline}), never by the writer or the model; {@code null} when the spec has no
 * timing (then it is left out of the JSON).
 */
@JsonPropertyOrder({"role", "text", "timestamp"})
public record Message(Role role, String text, String timestamp) implements Serializable {
  public Message withTimestamp(String ts) {
    return new Message(role, text, ts);
  }
}
