package io.convoforge.family.tooluse.schema;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed, validated tables schema: the user's JSON Schema document whose {@code $defs} are
 * tables. Built by {@link SchemaLoader}; nothing in the project knows any particular table.
 */
public final class TablesSchema implements Serializable {
  private final String source;
  private final LinkedHashMap<String, Table> tables;

  TablesSchema(String source, LinkedHashMap<String, Table> tables) {
    this.source = source;
    this.tables = tables;
  }

  /** Where the schema came from (a path), for messages. */
  public String source() {
    return source;
  }

  public Map<String, Table> tables() {
    return tables;
  }

  public Table table(String name) {
    Table t = tables.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no table " + name + " in " + source);
    }
    return t;
  }

  public boolean hasTable(String name) {
    return tables.containsKey(name);
  }
}
