package io.convoforge.family.csvagent;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The type of a CSV column, inferred from its non-empty cells (empty cells are nulls and do not
 * vote). A column takes the first type in this order that every non-empty cell parses as:
 * BOOLEAN ({@code true}/{@code false}, any case — {@code yes}/{@code no} stay TEXT so questions
 * can quote them as written), INTEGER (optional sign, no leading zeros, fits a long — so
 * {@code 007} or a zip code stays TEXT), NUMBER (an INTEGER or a plain decimal {@code -12.50}; no
 * exponent, no thousands separators), DATE ({@code yyyy-MM-dd}), DATETIME
 * ({@code yyyy-MM-dd HH:mm[:ss]}, space or {@code T}), else TEXT. An all-empty column is TEXT.
 */
public enum ColumnType {
  BOOLEAN("BOOLEAN"),
  INTEGER("BIGINT"),
  NUMBER("DOUBLE"),
  DATE("DATE"),
  DATETIME("TIMESTAMP"),
  TEXT("VARCHAR");

  private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9]{0,17})");
  private static final Pattern DEC = Pattern.compile("[-+]?(0|[1-9][0-9]{0,17})(\\.[0-9]{1,12})?");
  private static final Pattern DAY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  private static final Pattern STAMP =
      Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?");
  private static final DateTimeFormatter STAMP_OUT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final String duckdb;

  ColumnType(String duckdb) {
    this.duckdb = duckdb;
  }

  /** The DuckDB type the sandbox loads the column as. */
  public String duckdbType() {
    return duckdb;
  }

  public boolean numeric() {
    return this == INTEGER || this == NUMBER;
  }

  public boolean temporal() {
    return this == DATE || this == DATETIME;
  }

  /** Whether {@code raw} (non-null) parses as this type. */
  public boolean accepts(String raw) {
    return tryParse(raw) != null;
  }

  /**
   * The typed value of a cell: null for null, else Boolean, Long, Double, LocalDate, LocalDateTime
   * or String. Throws IllegalArgumentException when {@code raw} is not of this type.
   */
  public Object parse(String raw) {
    if (raw == null) {
      return null;
    }
    Object v = tryParse(raw);
    if (v == null) {
      throw new IllegalArgumentException("not " + name().toLowerCase(Locale.ROOT) + ": " + raw);
    }
    return v;
  }

  /** The typed value, or null when {@code raw} is not of this type (one pass, no exceptions). */
  private Object tryParse(String raw) {
    switch (this) {
      case BOOLEAN:
        return raw.equalsIgnoreCase("true") ? Boolean.TRUE
            : raw.equalsIgnoreCase("false") ? Boolean.FALSE : null;
      case INTEGER:
        return INT.matcher(raw).matches() ? (Object) Long.parseLong(raw) : null;
      case NUMBER:
        return DEC.matcher(raw).matches() ? (Object) Double.parseDouble(raw) : null;
      case DATE:
        return DAY.matcher(raw).matches() ? quietly(() -> LocalDate.parse(raw)) : null;
      case DATETIME:
        return STAMP.matcher(raw).matches() ? quietly(() -> stamp(raw)) : null;
      default:
        return raw;
    }
  }

  /** A typed value as it appears in JSON (programs, profiles, answers): ISO text for temporals. */
  public static Object json(Object typed) {
    if (typed instanceof LocalDate d) {
      return d.toString();
    }
    if (typed instanceof LocalDateTime t) {
      return t.format(STAMP_OUT);
    }
    return typed;
  }

  /** The narrowest type that accepts every non-null value (see the class comment). */
  public static ColumnType infer(Iterable<String> values) {
    boolean any = false;
    boolean[] ok = {true, true, true, true, true};
    ColumnType[] order = {BOOLEAN, INTEGER, NUMBER, DATE, DATETIME};
    for (String v : values) {
      if (v == null) {
        continue;
      }
      any = true;
      for (int i = 0; i < order.length; i++) {
        ok[i] = ok[i] && order[i].accepts(v);
      }
    }
    if (!any) {
      return TEXT;
    }
    for (int i = 0; i < order.length; i++) {
      if (ok[i]) {
        return order[i];
      }
    }
    return TEXT;
  }

  private static LocalDateTime stamp(String raw) {
    String iso = raw.replace(' ', 'T');
    return LocalDateTime.parse(iso.length() == 16 ? iso + ":00" : iso);
  }

  private static Object quietly(java.util.function.Supplier<Object> parse) {
    try {
      return parse.get();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
