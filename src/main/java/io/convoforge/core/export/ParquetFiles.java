package io.convoforge.core.export;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes Parquet files with DuckDB ({@code org.duckdb:duckdb_jdbc}, in process, no server): the
 * rows of a split are staged as JSON lines, then {@code COPY (SELECT ... FROM read_json(...,
 * columns = the schema) ORDER BY id) TO file (FORMAT parquet, COMPRESSION zstd)}. DuckDB was
 * chosen over parquet-java and Beam's ParquetIO because it writes nested lists of structs from
 * an explicit type string with no Avro or Hadoop classes on the class path, streams rows it
 * never holds in the JVM heap, and the same engine reads the files back (tests, {@code duckdb}
 * CLI users). The JSON and Parquet extensions are built into the JDBC driver; nothing is
 * downloaded (auto-install is turned off, so a missing one fails rather than fetches).
 */
public final class ParquetFiles {
  private ParquetFiles() {}

  /** Writes the rows of {@code jsonLines} (one row per line) to the Parquet file {@code out}. */
  public static void write(Path jsonLines, ParquetSchema schema, Path out) {
    String sql = "COPY (SELECT * FROM read_json(" + literal(jsonLines)
        + ", format = 'newline_delimited', columns = " + schema.duckdbColumns()
        + ") ORDER BY id) TO " + literal(out) + " (FORMAT parquet, COMPRESSION zstd)";
    try (Connection c = open(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB could not write " + out + ": " + e.getMessage(), e);
    }
  }

  /** An in-memory DuckDB connection that never downloads an extension. */
  public static Connection open() throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = c.createStatement()) {
      s.execute("SET autoinstall_known_extensions = false");
      s.execute("SET threads = " + Math.max(1, Runtime.getRuntime().availableProcessors()));
    }
    return c;
  }

  /** A path as an SQL string literal. */
  static String literal(Path p) {
    return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
  }
}
