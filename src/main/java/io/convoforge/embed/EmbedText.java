package io.convoforge.embed;

import io.convoforge.model.Conversation;
import io.convoforge.model.Turn;
import io.convoforge.schema.InputException;

/**
 * What of a conversation is embedded (recipe {@code embed.text}): {@code dialogue} (every user
 * and assistant line, the default), {@code user} (the user lines) or {@code first_request}.
 */
public enum EmbedText {
  DIALOGUE, USER, FIRST_REQUEST;

  public static EmbedText parse(Object v) {
    String s = v == null ? "dialogue" : String.valueOf(v);
    for (EmbedText t : values()) {
      if (t.name().equalsIgnoreCase(s)) {
        return t;
      }
    }
    throw new InputException("recipe", "field embed.text", "unknown value '" + s
        + "'; expected dialogue, user or first_request");
  }

  public String of(Conversation c) {
    StringBuilder sb = new StringBuilder();
    if (c.turns() == null) {
      return "";
    }
    for (Turn t : c.turns()) {
      if (t.user() != null) {
        sb.append(t.user()).append('\n');
      }
      if (this == FIRST_REQUEST) {
        break;
      }
      if (this == DIALOGUE && t.expectedResponse() != null
          && t.expectedResponse().text() != null) {
        sb.append(t.expectedResponse().text()).append('\n');
      }
    }
    return sb.toString().trim();
  }
}
