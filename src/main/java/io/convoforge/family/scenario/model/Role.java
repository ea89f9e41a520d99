package io.convoforge.family.scenario.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Who speaks a message of a call: the call-centre agent or the calling client. */
public enum Role {
  AGENT,
  CLIENT;

  /** The other speaker: roles alternate. */
  public Role other() {
    return this == AGENT ? CLIENT : AGENT;
  }

  /** The role speaking message {@code index} (0-based) of a conversation opened by {@code first}. */
  public static Role at(Role first, int index) {
    return (index & 1) == 0 ? first : first.other();
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code agent} or {@code client} in any case; anything else is {@code null}. */
  @JsonCreator
  public static Role parse(String s) {
    if (s == null) {
      return null;
    }
    switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "agent":
        return AGENT;
      case "client":
        return CLIENT;
      default:
        return null;
    }
  }
}
