package io.convoforge.family.tooluse.gen;

import io.convoforge.core.util.Seeds;
import io.convoforge.family.tooluse.schema.Table;

/**
 * The key a create call is given when it executes. It is a function of the conversation id, the
 * table and how many rows of that table the conversation created before (its ordinal), so the
 * offline writer, the sandbox replay and an agent evaluation all assign the same key, and later
 * calls in the dataset that use it stay valid.
 */
public final class Keys {
  private Keys() {}

  public static Object created(ValueGenerator g, Table t, String conversationId, int ordinal) {
    g.reseed(Seeds.hash("created|" + conversationId + "|" + t.name() + "|" + ordinal));
    return g.key(t);
  }
}
