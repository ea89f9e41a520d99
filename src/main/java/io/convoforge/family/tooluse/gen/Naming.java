package io.convoforge.family.tooluse.gen;

import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How people name a record instead of giving its key, from the schema alone: {@code first_name}
 * and {@code last_name} together; else a column called {@code name}; else the first whose name
 * ends in {@code name} ({@code full_name}, {@code file_name}) or is {@code title} or {@code
 * subject}; else the first
 * unique string (an email, a serial number). Only plain string columns that are not keys or
 * foreign keys and that every row has (required, or unique: seeds always carry their unique
 * values) count. A table with none cannot be searched by name.
 */
public final class Naming {
  private Naming() {}

  /** The naming columns of {@code t}, empty when it has none. */
  public static List<Column> columns(Table t) {
    List<Column> plain = new ArrayList<>();
    for (Column c : t.nonKeyColumns().values()) {
      if (c.isString() && !c.isForeignKey() && c.enumValues() == null
          && !"date".equals(c.format()) && !"date-time".equals(c.format())
          && (t.isRequired(c.name()) || c.unique())) {
        plain.add(c);
      }
    }
    Column first = find(plain, "first_name");
    Column last = find(plain, "last_name");
    if (first != null && last != null) {
      return List.of(first, last);
    }
    Column name = find(plain, "name");
    if (name != null) {
      return List.of(name);
    }
    for (Column c : plain) {
      if (c.name().endsWith("name") || c.name().equals("title") || c.name().equals("subject")) {
        return List.of(c);
      }
    }
    for (Column c : plain) {
      if (c.unique()) {
        return List.of(c);
      }
    }
    return List.of();
  }

  /**
   * True when the naming columns are names (a name, a title, a subject) rather than a unique
   * value such as a serial number, which people say with the table: "asset Y0SG3SEYLZ".
   */
  public static boolean proper(Table t) {
    List<Column> cols = columns(t);
    return !cols.isEmpty() && (cols.size() == 2 || cols.get(0).name().endsWith("name")
        || cols.get(0).name().equals("title") || cols.get(0).name().equals("subject"));
  }

  /** True when every row of {@code t} has its naming values (they are all required). */
  public static boolean always(Table t) {
    List<Column> cols = columns(t);
    return !cols.isEmpty() && cols.stream().allMatch(c -> t.isRequired(c.name()));
  }

  /** "Jane Doe", "Acme Corp": the row's naming values, or null when it lacks them. */
  public static String of(Table t, Map<String, Object> row) {
    if (row == null) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    for (Column c : columns(t)) {
      Object v = row.get(c.name());
      if (v == null) {
        return null;
      }
      parts.add(ValueGenerator.render(v));
    }
    return parts.isEmpty() ? null : String.join(" ", parts);
  }

  private static Column find(List<Column> cols, String name) {
    for (Column c : cols) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return null;
  }
}
