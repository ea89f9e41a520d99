package io.convoforge.family.tooluse.schema;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One table of a tables schema: its columns in declaration order, its key and required set. */
public record Table(
    String name,
    String description,
    String primaryKey,
    LinkedHashMap<String, Column> columns,
    Set<String> required)
    implements Serializable {

  public Column key() {
    return columns.get(primaryKey);
  }

  public Column column(String column) {
    return columns.get(column);
  }

  /** The snake_case name used in tool names: OpportunityLineItem becomes opportunity_line_item. */
  public String snakeName() {
    return toSnake(name);
  }

  /** "OpportunityLineItem" becomes "opportunity line item": how people say it. */
  public String label() {
    return snakeName().replace('_', ' ');
  }

  public List<Column> foreignKeys() {
    List<Column> out = new ArrayList<>();
    for (Column c : columns.values()) {
      if (c.isForeignKey()) {
        out.add(c);
      }
    }
    return out;
  }

  public boolean isRequired(String column) {
    return required.contains(column);
  }

  public Map<String, Column> nonKeyColumns() {
    LinkedHashMap<String, Column> out = new LinkedHashMap<>(columns);
    out.remove(primaryKey);
    return out;
  }

  static String toSnake(String pascal) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < pascal.length(); i++) {
      char ch = pascal.charAt(i);
      if (Character.isUpperCase(ch)) {
        boolean prevLower = i > 0 && !Character.isUpperCase(pascal.charAt(i - 1));
        boolean nextLower = i + 1 < pascal.length() && Character.isLowerCase(pascal.charAt(i + 1));
        if (i > 0 && (prevLower || nextLower)) {
          sb.append('_');
        }
        sb.append(Character.toLowerCase(ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }
}
