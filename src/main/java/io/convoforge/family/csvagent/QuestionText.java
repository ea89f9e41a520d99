package io.convoforge.family.csvagent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * English for a {@link Program}: the question a user would ask and a hint naming the steps.
 * Column names are written as in the file so an agent can map them to SQL; values are quoted.
 * When a column the program reads has empty cells the text says they are ignored, and a
 * non-integer answer comes with the rounding it was stored with. Pure.
 */
final class QuestionText {
  private QuestionText() {}

  static String question(Program p, Profile profile, Object answer) {
    String file = profile.file();
    String filter = filter(p.where(), profile);
    String among = filter.isEmpty() ? "" : " among rows where " + filter;
    String body = switch (p.op()) {
      case "count" -> p.column() == null
          ? (filter.isEmpty() ? "how many rows are there?"
              : "how many rows are there where " + filter + "?")
          : "how many rows have a non-empty " + p.column() + among + "?";
      case "sum" -> "what is the total " + p.column() + among + "?";
      case "mean" -> "what is the average " + p.column() + among + "?";
      case "median" -> "what is the median " + p.column() + among + "?";
      case "min" -> "what is the " + (temporal(p, profile) ? "earliest " : "smallest ")
          + p.column() + among + "?";
      case "max" -> "what is the " + (temporal(p, profile) ? "latest " : "largest ")
          + p.column() + among + "?";
      case "count_distinct" -> "how many distinct values of " + p.column() + " are there" + among
          + "?";
      case "argmax_group" -> "which " + p.groupBy() + " has the highest " + measure(p) + among
          + "?";
      case "argmin_group" -> "which " + p.groupBy() + " has the lowest " + measure(p) + among + "?";
      case "top_n" -> "which " + p.n() + " values of " + p.groupBy() + " have the highest "
          + measure(p) + among + "? List them from highest to lowest.";
      case "ratio" -> "what is the " + measure(p) + " for " + p.groupBy() + " "
          + value(p.numerator(), ColumnType.TEXT) + " divided by the " + measure(p) + " for "
          + p.groupBy() + " " + value(p.denominator(), ColumnType.TEXT) + among + "?";
      default -> throw new IllegalArgumentException(p.op());
    };
    StringBuilder s = new StringBuilder("In ").append(file).append(", ").append(body);
    List<String> withNulls = new ArrayList<>();
    for (String c : p.columns()) {
      if (profile.column(c).nulls() > 0) {
        withNulls.add(c);
      }
    }
    if (!withNulls.isEmpty()) {
      String last = withNulls.remove(withNulls.size() - 1);
      String cols = withNulls.isEmpty() ? last : String.join(", ", withNulls) + " and " + last;
      s.append(" Empty cells in ").append(cols)
          .append(" are missing values and are ignored.");
    }
    if (answer instanceof Double d) {
      s.append(" Round to ").append(Math.abs(d) >= 1 ? 2 : 4).append(" decimal places.");
    }
    return s.toString();
  }

  static String hint(Program p, Profile profile) {
    List<String> steps = new ArrayList<>();
    if (!p.where().isEmpty()) {
      List<String> preds = new ArrayList<>();
      p.where().forEach(c -> preds.add(ProgramSql.condition(c, profile)));
      steps.add("keep the rows where " + String.join(" AND ", preds));
    }
    String agg = p.groupBy() == null ? null : ProgramSql.aggregate(p.agg(), p.column());
    switch (p.op()) {
      case "argmax_group", "argmin_group" -> steps.add("group by " + p.groupBy() + ", compute "
          + agg + " per group and take the group with the "
          + (p.op().equals("argmax_group") ? "highest" : "lowest") + " value");
      case "top_n" -> steps.add("group by " + p.groupBy() + ", compute " + agg
          + " per group, sort descending and keep the first " + p.n());
      case "ratio" -> steps.add("compute " + agg + " for " + p.groupBy() + " = '" + p.numerator()
          + "' and for " + p.groupBy() + " = '" + p.denominator()
          + "', then divide the first by the second");
      default -> steps.add("compute " + ProgramSql.aggregate(p.op(), p.column())
          + (p.column() == null ? "" : " (NULLs are skipped)"));
    }
    String h = String.join(", then ", steps);
    return Character.toUpperCase(h.charAt(0)) + h.substring(1) + ".";
  }

  private static boolean temporal(Program p, Profile profile) {
    return profile.type(p.column()).temporal();
  }

  private static String measure(Program p) {
    return switch (p.agg()) {
      case "count" -> "number of rows";
      case "sum" -> "total " + p.column();
      case "mean" -> "average " + p.column();
      case "median" -> "median " + p.column();
      case "min" -> "minimum " + p.column();
      case "max" -> "maximum " + p.column();
      default -> throw new IllegalArgumentException(p.agg());
    };
  }

  /** "status is \"delivered\" and order_date is between 2024-02-01 and 2024-04-30 (inclusive)". */
  static String filter(List<Condition> where, Profile profile) {
    Set<String> done = new LinkedHashSet<>();
    List<String> parts = new ArrayList<>();
    for (Condition c : where) {
      if (done.contains(c.column())) {
        continue;
      }
      Condition lo = find(where, c.column(), ">=");
      Condition hi = find(where, c.column(), "<=");
      long same = where.stream().filter(x -> x.column().equals(c.column())).count();
      if (lo != null && hi != null && same == 2) {
        ColumnType t = profile.type(c.column());
        parts.add(c.column() + " is between " + value(lo.value(), t) + " and "
            + value(hi.value(), t) + " (inclusive)");
        done.add(c.column());
        continue;
      }
      parts.add(c.column() + " " + phrase(c, profile.type(c.column())) + " "
          + value(c.value(), profile.type(c.column())));
      if (same == 1) {
        done.add(c.column());
      }
    }
    return String.join(" and ", parts);
  }

  private static Condition find(List<Condition> where, String column, String op) {
    return where.stream().filter(c -> c.column().equals(column) && c.op().equals(op))
        .findFirst().orElse(null);
  }

  private static String phrase(Condition c, ColumnType type) {
    boolean time = type.temporal();
    return switch (c.op()) {
      case "=" -> "is";
      case "!=" -> "is not";
      case ">" -> time ? "is after" : "is greater than";
      case ">=" -> time ? "is on or after" : "is at least";
      case "<" -> time ? "is before" : "is less than";
      case "<=" -> time ? "is on or before" : "is at most";
      default -> throw new IllegalArgumentException(c.op());
    };
  }

  private static String value(Object v, ColumnType type) {
    if (!(v instanceof String s) || type.temporal()) {
      return String.valueOf(v);
    }
    return s.contains("\"") ? "'" + s + "'" : "\"" + s + "\"";
  }
}
