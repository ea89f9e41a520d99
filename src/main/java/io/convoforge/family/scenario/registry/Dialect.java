package io.convoforge.family.scenario.registry;

import io.convoforge.core.input.InputException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL that differs between the registry's databases. The DDL is portable (standard types H2
 * and PostgreSQL both take, {@code CREATE … IF NOT EXISTS}); only "insert unless the key exists"
 * differs: a standard {@code MERGE … WHEN NOT MATCHED} on H2 (PostgreSQL before 15 has no
 * {@code MERGE}), {@code INSERT … ON CONFLICT DO NOTHING} on PostgreSQL.
 */
enum Dialect {
  H2,
  POSTGRES;

  /** A column: name and portable SQL type. */
  record Column(String name, String type) {}

  static final List<Column> PROMPTS = List.of(
      new Column("id", "VARCHAR(64)"), new Column("path", "VARCHAR(2048)"),
      new Column("sha256", "CHAR(64)"), new Column("title", "VARCHAR(512)"),
      new Column("language", "VARCHAR(35)"), new Column("turns", "INTEGER"),
      new Column("scenarios", "INTEGER"), new Column("registered_at", "TIMESTAMP WITH TIME ZONE"));
  static final List<Column> BATCHES = List.of(
      new Column("id", "VARCHAR(160)"), new Column("prompt_id", "VARCHAR(64)"),
      new Column("scenario_mode", "VARCHAR(16)"), new Column("scenario", "VARCHAR(64)"),
      new Column("size", "INTEGER"), new Column("path", "VARCHAR(2048)"),
      new Column("sha256", "CHAR(64)"), new Column("created_at", "TIMESTAMP WITH TIME ZONE"),
      new Column("run_id", "VARCHAR(64)"));
  static final List<Column> CONVERSATIONS = List.of(
      new Column("id", "VARCHAR(200)"), new Column("batch_id", "VARCHAR(160)"),
      new Column("scenario_id", "VARCHAR(64)"), new Column("messages", "TEXT"),
      new Column("first_timestamp", "TIMESTAMP WITH TIME ZONE"),
      new Column("last_timestamp", "TIMESTAMP WITH TIME ZONE"), new Column("sha256", "CHAR(64)"));

  static final List<String> DDL = List.of(
      "CREATE TABLE IF NOT EXISTS prompts (" + columns(PROMPTS, "") + ", PRIMARY KEY (id))",
      "CREATE TABLE IF NOT EXISTS batches (" + columns(BATCHES, "scenario run_id") + ", PRIMARY KEY (id),"
          + " FOREIGN KEY (prompt_id) REFERENCES prompts (id))",
      "CREATE TABLE IF NOT EXISTS conversations ("
          + columns(CONVERSATIONS, "first_timestamp last_timestamp") + ", PRIMARY KEY (id),"
          + " FOREIGN KEY (batch_id) REFERENCES batches (id))",
      "CREATE INDEX IF NOT EXISTS batches_prompt ON batches (prompt_id)",
      "CREATE INDEX IF NOT EXISTS conversations_batch ON conversations (batch_id)",
      "CREATE INDEX IF NOT EXISTS conversations_scenario ON conversations (scenario_id)");

  /** The dialect of a JDBC URL; other databases are an {@link InputException}. */
  static Dialect of(String url) {
    if (url.startsWith("jdbc:h2:")) {
      return H2;
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRES;
    }
    throw new InputException("registry", null, "unsupported JDBC URL '" + redact(url)
        + "': expected jdbc:h2:… or jdbc:postgresql://…");
  }

  /** Inserts a row unless its {@code id} exists; the update count says which happened. */
  String insertIfAbsent(String table, List<Column> cols) {
    String names = cols.stream().map(Column::name).collect(Collectors.joining(", "));
    if (this == POSTGRES) {
      return "INSERT INTO " + table + " (" + names + ") VALUES ("
          + cols.stream().map(c -> "?").collect(Collectors.joining(", "))
          + ") ON CONFLICT (id) DO NOTHING";
    }
    return "MERGE INTO " + table + " t USING (SELECT "
        + cols.stream().map(c -> "CAST(? AS " + c.type() + ") AS " + c.name())
            .collect(Collectors.joining(", "))
        + ") s ON t.id = s.id WHEN NOT MATCHED THEN INSERT (" + names + ") VALUES ("
        + cols.stream().map(c -> "s." + c.name()).collect(Collectors.joining(", ")) + ")";
  }

  static String insert(String table, List<Column> cols) {
    return "INSERT INTO " + table + " ("
        + cols.stream().map(Column::name).collect(Collectors.joining(", ")) + ") VALUES ("
        + cols.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
  }

  /** A URL without its password parameter, for messages. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private static String columns(List<Column> cols, String nullable) {
    List<String> open = List.of(nullable.split(" "));
    return cols.stream()
        .map(c -> c.name() + " " + c.type() + (open.contains(c.name()) ? "" : " NOT NULL"))
        .collect(Collectors.joining(", "));
  }
}
