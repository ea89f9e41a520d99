package io.convoforge.family.csvagent;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The scripted solver's SQL for a {@link Program}: equivalent but differently written queries
 * (chosen by the random source) and, on request, the planted mistakes. Every variant without a
 * mistake must give the canonical answer; the solver's test checks that on all four CSVs.
 */
final class SolverSql {
  private final Profile profile;
  private final SplittableRandom r;
  private final String t;

  SolverSql(Profile profile, SplittableRandom r) {
    this.profile = profile;
    this.r = r;
    this.t = Sql.ident(profile.table());
  }

  /** The program as one query (top_n: one group per row; others: the answer first). */
  String query(Program p) {
    List<String> where = where(p.where());
    return switch (p.op()) {
      case "argmax_group", "argmin_group" -> best(p, where, 1);
      case "top_n" -> best(p, where, p.n());
      case "ratio" -> ratio(p, where);
      default -> scalar(p.op(), p.column(), where);
    };
  }

  /** The aggregate of a ratio's numerator or denominator group, for the two-step variant. */
  String ratioPart(Program p, String group) {
    List<String> where = where(p.where());
    where.add(Sql.ident(p.groupBy()) + " = " + Sql.literal(group, ColumnType.TEXT));
    return scalar(p.agg(), p.column(), where);
  }

  private String scalar(String op, String column, List<String> where) {
    String c = column == null ? null : Sql.ident(column);
    switch (op) {
      case "count":
        if (c == null) {
          return select(pick("COUNT(*)", "COUNT(1)", "COUNT(*) AS n"), where);
        }
        if (r.nextBoolean()) {
          return select("COUNT(" + c + ")", where);
        }
        return select("COUNT(*)", and(where, c + " IS NOT NULL"));
      case "sum":
        return r.nextBoolean() ? select("SUM(" + c + ")", where)
            : select("SUM(" + c + ") AS total", and(where, c + " IS NOT NULL"));
      case "mean":
        return switch (r.nextInt(3)) {
          case 0 -> select("AVG(" + c + ")", where);
          case 1 -> select("SUM(" + c + ") / COUNT(" + c + ")", where);
          default -> select("ROUND(AVG(" + c + "), 4) AS avg_value", where);
        };
      case "median":
        return r.nextBoolean() ? select("MEDIAN(" + c + ")", where)
            : select("quantile_cont(" + c + ", 0.5)", where);
      case "min", "max":
        if (r.nextBoolean()) {
          return select(op.toUpperCase(java.util.Locale.ROOT) + "(" + c + ")", where);
        }
        return "SELECT " + c + " FROM " + t + whereClause(and(where, c + " IS NOT NULL"))
            + " ORDER BY " + c + (op.equals("min") ? " ASC" : " DESC") + " LIMIT 1";
      case "count_distinct":
        if (r.nextBoolean()) {
          return select("COUNT(DISTINCT " + c + ")", where);
        }
        return "SELECT COUNT(*) FROM (SELECT DISTINCT " + c + " FROM " + t
            + whereClause(and(where, c + " IS NOT NULL")) + ")";
      default:
        throw new IllegalArgumentException(op);
    }
  }

  private String best(Program p, List<String> where, int n) {
    String g = Sql.ident(p.groupBy());
    String agg = aggregate(p.agg(), p.column());
    String dir = p.op().equals("argmin_group") ? "ASC" : "DESC";
    List<String> w = and(where, g + " IS NOT NULL");
    int variant = r.nextInt(3);
    if (variant == 0 && n == 1) {
      String fn = dir.equals("ASC") ? "arg_min" : "arg_max";
      return "SELECT " + fn + "(" + g + ", v) FROM (SELECT " + g + ", " + agg + " AS v FROM " + t
          + whereClause(w) + " GROUP BY " + g + ") WHERE v IS NOT NULL";
    }
    if (variant == 1 && n > 1) {
      return "SELECT " + g + ", " + agg + " AS v FROM " + t + whereClause(w) + " GROUP BY " + g
          + " HAVING " + agg + " IS NOT NULL QUALIFY row_number() OVER (ORDER BY " + agg + " "
          + dir + ") <= " + n + " ORDER BY v " + dir;
    }
    return "SELECT " + g + ", " + agg + " AS v FROM " + t + whereClause(w) + " GROUP BY " + g
        + " ORDER BY v " + dir + " NULLS LAST LIMIT " + n;
  }

  private String ratio(Program p, List<String> where) {
    String g = Sql.ident(p.groupBy());
    String a = Sql.literal(p.numerator(), ColumnType.TEXT);
    String b = Sql.literal(p.denominator(), ColumnType.TEXT);
    if (r.nextBoolean()) {
      String agg = aggregate(p.agg(), p.column());
      return select(agg + " FILTER (WHERE " + g + " = " + a + ") * 1.0 / " + agg
          + " FILTER (WHERE " + g + " = " + b + ") AS ratio", where);
    }
    return select(caseAgg(p, g, a) + " * 1.0 / " + caseAgg(p, g, b) + " AS ratio", where);
  }

  private String caseAgg(Program p, String g, String value) {
    String inner = p.column() == null ? "1" : Sql.ident(p.column());
    String fn = switch (p.agg()) {
      case "mean" -> "AVG";
      case "median" -> "MEDIAN";
      default -> p.agg().toUpperCase(java.util.Locale.ROOT);
    };
    return fn + "(CASE WHEN " + g + " = " + value + " THEN " + inner + " END)";
  }

  static String aggregate(String agg, String column) {
    return ProgramSql.aggregate(agg, column);
  }

  /** Conditions as SQL, written in one of several equivalent ways. */
  List<String> where(List<Condition> conditions) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < conditions.size(); i++) {
      Condition c = conditions.get(i);
      ColumnType type = profile.type(c.column());
      Condition next = i + 1 < conditions.size() ? conditions.get(i + 1) : null;
      if (next != null && c.op().equals(">=") && next.op().equals("<=")
          && next.column().equals(c.column()) && r.nextBoolean()) {
        out.add(Sql.ident(c.column()) + " BETWEEN " + literal(c.value(), type) + " AND "
            + literal(next.value(), type));
        i++;
        continue;
      }
      String op = c.op().equals("!=") && r.nextBoolean() ? "<>" : c.op();
      out.add(Sql.ident(c.column()) + " " + op + " " + literal(c.value(), type));
    }
    return out;
  }

  private String literal(Object value, ColumnType type) {
    if (type.temporal() && r.nextInt(3) == 0) {
      return Sql.string(String.valueOf(value));
    }
    return Sql.literal(value, type);
  }

  private String select(String expr, List<String> where) {
    return "SELECT " + expr + " FROM " + t + whereClause(where);
  }

  private static String whereClause(List<String> where) {
    return where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
  }

  private static List<String> and(List<String> where, String extra) {
    List<String> out = new ArrayList<>(where);
    out.add(extra);
    return out;
  }

  private String pick(String... xs) {
    return xs[r.nextInt(xs.length)];
  }
}
