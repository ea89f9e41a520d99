package io.convoforge.family.csvagent;

import java.util.Set;

/**
 * One {@code where} clause of a {@link Program}: {@code column op value}. {@code value} is a JSON
 * value of the column's type (number, string, boolean, or ISO {@code yyyy-MM-dd} /
 * {@code yyyy-MM-dd HH:mm:ss} text for dates). A row whose cell is empty never matches.
 */
public record Condition(String column, String op, Object value) {
  public static final Set<String> OPS = Set.of("=", "!=", ">", ">=", "<", "<=");

  public Condition {
    if (!OPS.contains(op)) {
      throw new IllegalArgumentException("condition op must be one of " + OPS + ", got " + op);
    }
  }
}
