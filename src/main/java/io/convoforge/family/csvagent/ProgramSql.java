package io.convoforge.family.csvagent;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The canonical DuckDB SQL of a {@link Program} over a loaded table: the query whose result
 * {@link Answers#of} turns into the question's answer (a one-cell result, or for {@code top_n} one
 * group per row, best first). Also the ranking query the generator uses to reject questions whose
 * best group is tied. Pure; throws IllegalArgumentException for a column the profile lacks.
 */
public final class ProgramSql {
  private ProgramSql() {}

  public static String of(Program p, Profile profile) {
    String from = " FROM " + Sql.ident(profile.table());
    switch (p.op()) {
      case "argmax_group", "argmin_group", "top_n": {
        String dir = p.op().equals("argmin_group") ? "ASC" : "DESC";
        int limit = p.op().equals("top_n") ? p.n() : 1;
        return ranked(p, profile, dir, limit, false);
      }
      case "ratio": {
        String g = Sql.ident(p.groupBy());
        ColumnType gt = profile.type(p.groupBy());
        String num = aggregate(p.agg(), p.column()) + " FILTER (WHERE " + g + " = "
            + Sql.literal(p.numerator(), gt) + ")";
        String den = aggregate(p.agg(), p.column()) + " FILTER (WHERE " + g + " = "
            + Sql.literal(p.denominator(), gt) + ")";
        return "SELECT CAST(" + num + " AS DOUBLE) / " + den + " AS answer" + from
            + where(p.where(), profile, List.of());
      }
      default:
        return "SELECT " + aggregate(p.op(), p.column()) + " AS answer" + from
            + where(p.where(), profile, List.of());
    }
  }

  /**
   * Groups with their value, best first (ties by group name), at most {@code limit}: the
   * generator reads it to check the answer is not tied.
   */
  public static String ranking(Program p, Profile profile, int limit) {
    String dir = p.op().equals("argmin_group") ? "ASC" : "DESC";
    return ranked(p, profile, dir, limit, true);
  }

  private static String ranked(Program p, Profile profile, String dir, int limit, boolean value) {
    String g = Sql.ident(p.groupBy());
    String agg = aggregate(p.agg(), p.column());
    return "SELECT " + g + (value ? ", " + agg + " AS value" : "") + " FROM "
        + Sql.ident(profile.table())
        + where(p.where(), profile, List.of(g + " IS NOT NULL"))
        + " GROUP BY " + g + " HAVING " + agg + " IS NOT NULL ORDER BY " + agg + " " + dir + ", "
        + g + " ASC LIMIT " + limit;
  }

  /** SQL of an aggregate over a column ({@code count} with a null column counts rows). */
  public static String aggregate(String agg, String column) {
    String c = column == null ? "*" : Sql.ident(column);
    return switch (agg) {
      case "count" -> "COUNT(" + c + ")";
      case "sum" -> "SUM(" + c + ")";
      case "mean" -> "AVG(" + c + ")";
      case "median" -> "MEDIAN(" + c + ")";
      case "min" -> "MIN(" + c + ")";
      case "max" -> "MAX(" + c + ")";
      case "count_distinct" -> "COUNT(DISTINCT " + c + ")";
      default -> throw new IllegalArgumentException("unknown aggregate " + agg);
    };
  }

  /** {@code " WHERE a AND b"} from conditions plus extra predicates, or empty. */
  public static String where(List<Condition> where, Profile profile, List<String> extra) {
    List<String> preds = new ArrayList<>(extra);
    for (Condition c : where) {
      preds.add(condition(c, profile));
    }
    if (preds.isEmpty()) {
      return "";
    }
    StringJoiner j = new StringJoiner(" AND ", " WHERE ", "");
    preds.forEach(j::add);
    return j.toString();
  }

  public static String condition(Condition c, Profile profile) {
    return Sql.ident(c.column()) + " " + c.op() + " "
        + Sql.literal(c.value(), profile.type(c.column()));
  }
}
