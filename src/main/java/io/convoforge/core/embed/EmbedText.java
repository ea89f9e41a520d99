package io.convoforge.core.embed;

import io.convoforge.core.input.InputException;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import java.util.Set;

/**
 * What of a record's dialogue is embedded or compared (recipe {@code embed.text}, {@code
 * dedup.lexical.text}): {@code dialogue} (every user-side and assistant-side text line, the
 * default), {@code user} (the user-side lines: role {@code user} or {@code client}) or {@code
 * first_request} (the first user-side line). Tool messages and system prompts are left out.
 */
public enum EmbedText {
  DIALOGUE, USER, FIRST_REQUEST;

  private static final Set<String> USER_SIDE = Set.of(Message.USER, "client", "customer");
  private static final Set<String> SKIPPED = Set.of(Message.TOOL, Message.SYSTEM);

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

  public String of(Record<?> r) {
    StringBuilder sb = new StringBuilder();
    for (Message m : r.messages()) {
      if (m.text() == null || SKIPPED.contains(m.role())) {
        continue;
      }
      boolean user = USER_SIDE.contains(m.role());
      if (this == DIALOGUE || user) {
        sb.append(m.text()).append('\n');
      }
      if (this == FIRST_REQUEST && user) {
        break;
      }
    }
    return sb.toString().trim();
  }
}
