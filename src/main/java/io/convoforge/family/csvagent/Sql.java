package io.convoforge.family.csvagent;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * DuckDB text for identifiers and literals, shared by the canonical SQL of a {@link Program} and
 * the scripted solver so both quote the same way. Pure functions; throw IllegalArgumentException
 * for a value that does not fit the column type.
 */
public final class Sql {
  private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]*");
  // DuckDB 2.0's reserved, column-name and type-function keywords (duckdb_keywords()) plus a
  // few words that read badly unquoted; quoting them is always correct.
  private static final Set<String> KEYWORDS = Set.of(
      "all", "analyse", "analyze", "and", "anti", "any", "array", "as", "asc", "asof",
      "asymmetric", "at", "authorization", "between", "bigint", "binary", "bit", "boolean",
      "both", "by", "case", "cast", "char", "character", "check", "coalesce", "collate",
      "collation", "column", "columns", "concurrently", "constraint", "count", "create", "cross",
      "date", "day", "dec", "decimal", "default", "deferrable", "desc", "describe", "distinct",
      "do", "else", "end", "except", "exists", "extract", "false", "fetch", "float", "for",
      "foreign", "freeze", "from", "full", "generated", "glob", "grant", "group", "grouping",
      "grouping_id", "having", "hour", "ilike", "in", "initially", "inner", "inout", "int",
      "integer", "intersect", "interval", "into", "is", "isnull", "join", "lambda", "lateral",
      "leading", "left", "like", "limit", "map", "max", "min", "minute", "month", "national",
      "natural", "nchar", "none", "not", "notnull", "null", "nullif", "numeric", "offset", "on",
      "only", "or", "order", "out", "outer", "overlaps", "overlay", "pivot", "pivot_longer",
      "pivot_wider", "placing", "position", "positional", "precision", "primary", "qualify",
      "real", "references", "returning", "right", "row", "second", "select", "semi", "setof",
      "show", "similar", "smallint", "some", "struct", "substring", "sum", "summarize",
      "symmetric", "table", "tablesample", "then", "time", "timestamp", "to", "trailing", "treat",
      "trim", "true", "try_cast", "tuple", "union", "unique", "unpack", "unpivot", "user",
      "using", "value", "values", "varchar", "variadic", "verbose", "when", "where", "window",
      "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest",
      "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable", "year");

  private Sql() {}

  /** {@code name} as is when it is a plain lower-case word, else double-quoted. */
  public static String ident(String name) {
    if (PLAIN.matcher(name).matches() && !KEYWORDS.contains(name)
        && !SqlGuard.BANNED_WORDS.contains(name)) {
      return name;
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** Single-quoted SQL string. */
  public static String string(String s) {
    return '\'' + s.replace("'", "''") + '\'';
  }

  /**
   * A literal for a program value (as JSON gives it) compared with a column of {@code type}:
   * {@code DATE '…'}, {@code TIMESTAMP '…'}, a bare number, TRUE/FALSE or a quoted string.
   */
  public static String literal(Object value, ColumnType type) {
    switch (type) {
      case DATE:
        return "DATE " + string(String.valueOf(value));
      case DATETIME:
        return "TIMESTAMP " + string(String.valueOf(value));
      case INTEGER:
      case NUMBER:
        if (!(value instanceof Number)) {
          throw new IllegalArgumentException("not a number: " + value);
        }
        return value.toString();
      case BOOLEAN:
        return Boolean.parseBoolean(String.valueOf(value)) ? "TRUE" : "FALSE";
      default:
        return string(String.valueOf(value));
    }
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
