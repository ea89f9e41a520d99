package io.convoforge.family.tooluse.schema;

import java.io.Serializable;
import java.util.List;

/** One property of a table, with the constraint keywords the tables format supports. */
public record Column(
    String name,
    String type,
    List<Object> enumValues,
    String format,
    String pattern,
    Double minimum,
    Double maximum,
    Integer minLength,
    Integer maxLength,
    String description,
    String references,
    boolean unique)
    implements Serializable {

  public boolean isForeignKey() {
    return references != null;
  }

  public boolean isString() {
    return "string".equals(type);
  }

  /** "first_name" becomes "first name". */
  public String label() {
    return name.replace('_', ' ');
  }
}
