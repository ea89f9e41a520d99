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
  // Words DuckDB reserves or that read badly unquoted; quoting them is always correct.
  private static final Set<String> KEYWORDS = Set.of("all", "and", "any", "array", "as", "asc",
      "between", "both", "by", "case", "cast", "check", "collate", "column", "constraint", "create",
      "date", "default", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for",
      "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into",
      "lateral", "leading", "limit", "not", "null", "offset", "on", "only", "or", "order",
      "pivot", "placing", "primary", "qualify", "references", "returning", "select", "some",
      "symmetric", "table", "then", "time", "timestamp", "to", "trailing", "true", "union",
      "unique", "unpivot", "user", "using", "variadic", "when", "where", "window", "with", "year",
      "month", "day", "hour", "minute", "second", "interval", "count", "sum", "min", "max",
      "value");

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
