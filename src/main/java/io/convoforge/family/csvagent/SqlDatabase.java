package io.convoforge.family.csvagent;

import io.convoforge.core.input.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.StringJoiner;
import org.duckdb.DuckDBConnection;

/**
 * A private in-memory DuckDB database holding one CSV as one table, locked down, from which
 * episodes take their own connections ({@link #connect}).
 *
 * <p>In: a {@link CsvTable} and its {@link Profile}. The table is loaded with {@code read_csv}
 * using the detected delimiter, header, {@code "} quoting, {@code nullstr=''}, no type sniffing
 * ({@code auto_detect=false}, {@code all_varchar=false}) and the profile's column types, so SQL and
 * profile agree on every type; a table parsed from memory is loaded from a temporary copy. Then:
 * extension auto-install/auto-load off, {@code enable_external_access=false}, the memory limit,
 * {@code threads=1}, {@code lock_configuration=true} — settings of the whole database, so every
 * connection inherits them and none can undo them. {@link #load} throws an {@link InputException}
 * naming the file when DuckDB cannot read the CSV the way it was parsed (also when it reads a
 * different number of rows). Thread-safe; close it after its last episode.
 */
public final class SqlDatabase implements AutoCloseable {
  /** A column of the loaded table with its DuckDB type. */
  public record Column(String name, String type) {}

  private final CsvTable csv;
  private final Profile profile;
  private final SqlSandbox.Limits limits;
  private final String table;
  private DuckDBConnection base;
  private List<Column> schema;

  private SqlDatabase(CsvTable csv, Profile profile, SqlSandbox.Limits limits) {
    this.csv = csv;
    this.profile = profile;
    this.limits = limits;
    this.table = csv.tableName();
  }

  public static SqlDatabase load(CsvTable csv, Profile profile, SqlSandbox.Limits limits) {
    SqlDatabase db = new SqlDatabase(csv, profile, limits);
    try {
      Properties p = new Properties();
      p.setProperty("threads", "1");
      p.setProperty("memory_limit", limits.memoryLimit());
      db.base = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", p);
      db.createTable();
      db.lockDown();
      db.schema = db.describe();
      return db;
    } catch (SQLException e) {
      db.close();
      throw new InputException(csv.file(), "", "DuckDB could not load the CSV as parsed: "
          + SqlSandbox.clip(String.valueOf(e.getMessage())));
    }
  }

  /** A new episode sandbox: its own connection to this database. */
  public SqlSandbox connect() {
    return new SqlSandbox(this, newConnection(), false);
  }

  public String table() {
    return table;
  }

  public List<Column> schema() {
    return schema;
  }

  public SqlSandbox.Limits limits() {
    return limits;
  }

  @Override
  public synchronized void close() {
    if (base != null) {
      closeQuietly(base);
      base = null;
    }
  }

  synchronized Connection newConnection() {
    if (base == null) {
      throw new IllegalStateException("the database of " + csv.file() + " is closed");
    }
    try {
      return base.duplicate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open a DuckDB connection: " + e.getMessage(), e);
    }
  }

  private void createTable() throws SQLException {
    Path file = csv.path();
    Path temp = null;
    if (file == null) {
      try {
        temp = Files.createTempFile("csvagent-", ".csv");
        Files.write(temp, csv.bytes());
      } catch (IOException e) {
        throw new SQLException("cannot write a temporary copy: " + e.getMessage(), e);
      }
      file = temp;
    }
    try (Statement st = base.createStatement()) {
      st.execute("CREATE TABLE " + Sql.ident(table) + " AS SELECT * FROM read_csv("
          + Sql.string(file.toAbsolutePath().toString()) + ", delim="
          + Sql.string(String.valueOf(csv.delimiter())) + ", header=true, quote='\"',"
          + " escape='\"', nullstr='', all_varchar=false, auto_detect=false, columns="
          + columnTypes() + ")");
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + Sql.ident(table))) {
        rs.next();
        if (rs.getLong(1) != csv.rows().size()) {
          throw new SQLException("DuckDB read " + rs.getLong(1) + " rows, the CSV parser "
              + csv.rows().size());
        }
      }
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // A leftover temporary copy is harmless.
        }
      }
    }
  }

  private String columnTypes() {
    StringJoiner j = new StringJoiner(", ", "{", "}");
    for (String c : csv.columns()) {
      j.add(Sql.string(c) + ": " + Sql.string(profile.type(c).duckdbType()));
    }
    return j.toString();
  }

  private void lockDown() throws SQLException {
    try (Statement st = base.createStatement()) {
      st.execute("SET autoinstall_known_extensions=false");
      st.execute("SET autoload_known_extensions=false");
      st.execute("SET enable_external_access=false");
      st.execute("SET memory_limit=" + Sql.string(limits.memoryLimit()));
      st.execute("SET threads=1");
      st.execute("SET lock_configuration=true");
    }
  }

  private List<Column> describe() throws SQLException {
    List<Column> cols = new ArrayList<>();
    try (Statement st = base.createStatement();
        ResultSet rs = st.executeQuery("DESCRIBE " + Sql.ident(table))) {
      while (rs.next()) {
        cols.add(new Column(rs.getString(1), rs.getString(2)));
      }
    }
    return List.copyOf(cols);
  }

  static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // Closing an in-memory connection cannot lose anything.
    }
  }
}
