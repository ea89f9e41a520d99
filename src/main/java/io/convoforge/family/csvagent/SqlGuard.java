package io.convoforge.family.csvagent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first line of defence of the {@link SqlSandbox}: decides from the text alone whether a
 * statement may run. Conservative on purpose — it refuses some harmless SQL rather than let a
 * file read through; DuckDB's own lockdown (no external access, locked configuration) is the second
 * line.
 *
 * <p>In: one SQL text. Out: empty when allowed, else the reason. Allowed: exactly one statement
 * (a trailing {@code ;} is fine) starting with SELECT, WITH, FROM, VALUES, DESCRIBE, SUMMARIZE or
 * SHOW. Refused: several statements; any keyword that writes, attaches, loads, configures or runs
 * other SQL ({@code COPY ATTACH INSTALL LOAD SET PRAGMA CALL EXPORT IMPORT CREATE …}) anywhere
 * outside quotes; file- and network-reading table functions ({@code read_*}, {@code *_scan},
 * {@code glob}, {@code query}, …); a string literal after FROM/JOIN (DuckDB would read it as a
 * file) or any literal or quoted name that looks like a path or URL; dollar-quoted and E'' strings
 * (their escaping differs); unterminated quotes or comments. Never throws.
 */
public final class SqlGuard {
  static final int MAX_LENGTH = 20_000;
  static final Set<String> BANNED_WORDS = Set.of("copy", "attach", "detach", "install", "load",
      "force", "set", "reset", "pragma", "call", "export", "import", "create", "drop", "alter",
      "insert", "update", "delete", "truncate", "checkpoint", "vacuum", "use", "begin", "commit",
      "rollback", "abort", "prepare", "execute", "deallocate", "grant", "revoke", "merge",
      "secret", "macro", "function");
  private static final Set<String> BANNED_FUNCTIONS = Set.of("glob", "query", "query_table",
      "sniff_csv", "parquet_metadata", "parquet_schema", "parquet_file_metadata",
      "parquet_kv_metadata", "json_execute_serialized_sql", "getenv", "duckdb_secrets",
      "load_aws_credentials", "st_read", "httpfs");
  private static final Set<String> FIRST_WORDS =
      Set.of("select", "with", "from", "values", "describe", "summarize", "show");
  private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PATHLIKE = Pattern.compile(
      "(?i).*(://|^/|^~|^\\.\\.?/|\\\\|\\.(csv|tsv|parquet|json|jsonl|ndjson|db|duckdb|sqlite|txt"
          + "|gz|zst|xlsx|arrow)$).*");
  private static final Pattern FROM_LITERAL = Pattern.compile("(?i)\\b(from|join)\\s*'");

  private SqlGuard() {}

  /** Empty when {@code sql} may run, else why it is refused. */
  public static Optional<String> refusal(String sql) {
    if (sql == null || sql.isBlank()) {
      return Optional.of("empty statement");
    }
    if (sql.length() > MAX_LENGTH) {
      return Optional.of("statement longer than " + MAX_LENGTH + " characters");
    }
    List<String> literals = new ArrayList<>();
    List<String> quotedNames = new ArrayList<>();
    String code;
    try {
      code = strip(sql, literals, quotedNames);
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    String body = code.strip();
    while (body.endsWith(";")) {
      body = body.substring(0, body.length() - 1).strip();
    }
    if (body.contains(";")) {
      return Optional.of("only one statement may run at a time");
    }
    if (body.contains("$")) {
      return Optional.of("parameters and dollar-quoted strings are not allowed");
    }
    Matcher m = WORD.matcher(body);
    if (!m.find() || m.start() != 0 || !FIRST_WORDS.contains(lower(m.group()))) {
      return Optional.of("only read-only queries may run (SELECT, WITH, FROM, VALUES, DESCRIBE,"
          + " SUMMARIZE, SHOW)");
    }
    m.reset();
    while (m.find()) {
      String w = lower(m.group());
      if (BANNED_WORDS.contains(w)) {
        return Optional.of(w.toUpperCase(Locale.ROOT) + " is not allowed: the table is read-only"
            + " and the session configuration is locked");
      }
      if (BANNED_FUNCTIONS.contains(w) || w.startsWith("read_") || w.endsWith("_scan")
          || w.endsWith("_attach")) {
        return Optional.of(w + " is not allowed: only the loaded table may be queried");
      }
    }
    if (FROM_LITERAL.matcher(code).find()) {
      return Optional.of("reading from a quoted file name is not allowed: query the loaded table");
    }
    for (String s : literals) {
      if (PATHLIKE.matcher(s).matches()) {
        return Optional.of("literal '" + s + "' looks like a file or URL: file access is disabled");
      }
    }
    for (String s : quotedNames) {
      if (PATHLIKE.matcher(s).matches()) {
        return Optional.of("name \"" + s + "\" looks like a file: file access is disabled");
      }
    }
    return Optional.empty();
  }

  /** The code with comments blanked, literals and quoted names emptied ({@code ''}, {@code ""}). */
  private static String strip(String sql, List<String> literals, List<String> names) {
    StringBuilder out = new StringBuilder(sql.length());
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
        out.append(' ');
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated comment");
        }
        i = end + 2;
        out.append(' ');
      } else if (c == '\'' || c == '"') {
        if (c == '\'' && escapePrefix(out)) {
          throw new IllegalArgumentException("E'' strings are not allowed");
        }
        StringBuilder lit = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException("unterminated " + (c == '\'' ? "string" : "name"));
          }
          char d = sql.charAt(i);
          if (d == c) {
            if (i + 1 < n && sql.charAt(i + 1) == c) {
              lit.append(c);
              i += 2;
              continue;
            }
            i++;
            break;
          }
          lit.append(d);
          i++;
        }
        (c == '\'' ? literals : names).add(lit.toString());
        out.append(c).append(c);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static boolean escapePrefix(StringBuilder out) {
    int k = out.length() - 1;
    if (k < 0 || Character.toLowerCase(out.charAt(k)) != 'e') {
      return false;
    }
    return k == 0 || !Character.isLetterOrDigit(out.charAt(k - 1)) && out.charAt(k - 1) != '_';
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
