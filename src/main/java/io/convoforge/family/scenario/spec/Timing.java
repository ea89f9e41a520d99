package io.convoforge.family.scenario.spec;

import io.convoforge.family.scenario.model.Role;
import java.io.Serializable;
import java.time.OffsetDateTime;

/**
 * A spec's optional timing: when the first message of the first call happens, and the delay in
 * whole seconds before each message, drawn from the range of the role that speaks it.
 */
public record Timing(OffsetDateTime start, Range agent, Range client) implements Serializable {

  /** An inclusive range of whole seconds, {@code 1 <= min <= max}. */
  public record Range(int min, int max) implements Serializable {
    public boolean contains(long seconds) {
      return seconds >= min && seconds <= max;
    }

    @Override
    public String toString() {
      return "[" + min + ", " + max + "]";
    }
  }

  public Range latency(Role role) {
    return role == Role.AGENT ? agent : client;
  }
}
