package io.convoforge.family.csvagent;

import io.convoforge.schema.InputException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One episode's SQL sandbox: a private in-memory DuckDB database holding one CSV as one table.
 *
 * <p>In: a {@link CsvTable} and its {@link Profile}; the table is loaded with {@code read_csv}
 * using the detected delimiter, header, {@code "} quoting, {@code nullstr=''} and the profile's
 * column types (so SQL and profile agree on every type). Then the database is locked down:
 * external access off, extension auto-install/load off, memory limit, one thread, configuration
 * locked. Out of {@link #run}: a {@link SqlResult} for every statement — refused ones (see {@link
 * SqlGuard}) are never executed; a statement running longer than the timeout is cancelled from a
 * watchdog thread ({@link Statement#cancel()}, DuckDB's interrupt) and reported as an error; if the
 * connection is unusable afterwards the database is rebuilt. {@code run} never throws. {@link #open}
 * throws an {@link InputException} naming the file when DuckDB cannot load the CSV the way it was
 * parsed. One thread at a time; close it after the episode.
 */
public final class SqlSandbox implements AutoCloseable {
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "csvagent-sql-watchdog");
        t.setDaemon(true);
        return t;
      });
  private static final int MAX_ERROR_CHARS = 600;

  /** Per-sandbox limits: statement timeout, DuckDB memory limit, rows and characters shown. */
  public record Limits(long timeoutMs, String memoryLimit, int rowCap, int cellChars) {
    public Limits {
      if (timeoutMs <= 0 || rowCap <= 0 || cellChars < 8) {
        throw new IllegalArgumentException("timeoutMs and rowCap must be > 0, cellChars >= 8");
      }
      if (!memoryLimit.matches("[0-9]+(KB|MB|GB)")) {
        throw new IllegalArgumentException("memoryLimit like 256MB, got " + memoryLimit);
      }
    }

    /** 2 s per statement, 256MB, 20 rows of at most 200 characters per cell. */
    public static Limits defaults() {
      return new Limits(2_000, "256MB", 20, 200);
    }

    public Limits withTimeoutMs(long ms) {
      return new Limits(ms, memoryLimit, rowCap, cellChars);
    }

    public Limits withRowCap(int rows) {
      return new Limits(timeoutMs, memoryLimit, rows, cellChars);
    }
  }

  /** A column of the loaded table with its DuckDB type. */
  public record Column(String name, String type) {}

  private final CsvTable csv;
  private final Profile profile;
  private final Limits limits;
  private final String table;
  private Connection conn;
  private List<Column> schema;

  private SqlSandbox(CsvTable csv, Profile profile, Limits limits) {
    this.csv = csv;
    this.profile = profile;
    this.limits = limits;
    this.table = csv.tableName();
  }

  public static SqlSandbox open(CsvTable csv, Profile profile) {
    return open(csv, profile, Limits.defaults());
  }

  public static SqlSandbox open(CsvTable csv, Profile profile, Limits limits) {
    SqlSandbox s = new SqlSandbox(csv, profile, limits);
    s.connect();
    return s;
  }

  /** The SQL name of the loaded table. */
  public String table() {
    return table;
  }

  public List<Column> schema() {
    return schema;
  }

  public Limits limits() {
    return limits;
  }

  /** Runs one statement; see the class comment. Never throws. */
  public SqlResult run(String sql) {
    long t0 = System.nanoTime();
    Optional<String> refusal = SqlGuard.refusal(sql);
    if (refusal.isPresent()) {
      return SqlResult.failure("Refused: " + refusal.get(), ms(t0));
    }
    if (conn == null) {
      return SqlResult.failure("Error: the sandbox is closed", ms(t0));
    }
    AtomicBoolean cancelled = new AtomicBoolean();
    try (Statement st = conn.createStatement()) {
      ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
        cancelled.set(true);
        try {
          st.cancel();
        } catch (SQLException | RuntimeException ignored) {
          // The statement finished or closed meanwhile: nothing left to stop.
        }
      }, limits.timeoutMs(), TimeUnit.MILLISECONDS);
      try {
        return read(st, sql, t0, cancelled);
      } finally {
        watchdog.cancel(false);
      }
    } catch (SQLException | RuntimeException e) {
      if (cancelled.get()) {
        recoverIfBroken();
        return SqlResult.failure("Timeout: the statement was cancelled after "
            + limits.timeoutMs() + " ms", ms(t0));
      }
      return SqlResult.failure(clip(String.valueOf(e.getMessage())), ms(t0));
    }
  }

  @Override
  public void close() {
    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException ignored) {
        // Closing an in-memory database cannot lose anything.
      }
      conn = null;
    }
  }

  private SqlResult read(Statement st, String sql, long t0, AtomicBoolean cancelled)
      throws SQLException {
    if (!st.execute(sql)) {
      return new SqlResult(true, List.of(), List.of(), 0, null, ms(t0));
    }
    try (ResultSet rs = st.getResultSet()) {
      ResultSetMetaData md = rs.getMetaData();
      int n = md.getColumnCount();
      List<String> cols = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        cols.add(md.getColumnLabel(i));
      }
      List<List<Object>> rows = new ArrayList<>();
      long count = 0;
      long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(limits.timeoutMs());
      while (rs.next()) {
        if (count < limits.rowCap()) {
          List<Object> row = new ArrayList<>(n);
          for (int i = 1; i <= n; i++) {
            row.add(json(rs.getObject(i), limits.cellChars()));
          }
          rows.add(java.util.Collections.unmodifiableList(row));
        }
        count++;
        if ((count & 1023) == 0 && (cancelled.get() || System.nanoTime() > deadline)) {
          throw new SQLException("cancelled while reading rows");
        }
      }
      return new SqlResult(true, List.copyOf(cols), List.copyOf(rows), count, null, ms(t0));
    }
  }

  private void connect() {
    try {
      Properties p = new Properties();
      p.setProperty("threads", "1");
      p.setProperty("memory_limit", limits.memoryLimit());
      conn = DriverManager.getConnection("jdbc:duckdb:", p);
      load();
      lockDown();
      schema = describe();
    } catch (SQLException e) {
      close();
      throw new InputException(csv.file(), "", "DuckDB could not load the CSV as parsed: "
          + clip(e.getMessage()));
    }
  }

  private void load() throws SQLException {
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
    try (Statement st = conn.createStatement()) {
      st.execute("CREATE TABLE " + Sql.ident(table) + " AS SELECT * FROM read_csv("
          + Sql.string(file.toAbsolutePath().toString()) + ", delim=" + Sql.string(
              String.valueOf(csv.delimiter())) + ", header=true, quote='\"', escape='\"',"
          + " nullstr='', all_varchar=false, auto_detect=false, columns=" + columnTypes() + ")");
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + Sql.ident(table))) {
        rs.next();
        if (rs.getLong(1) != csv.rows().size()) {
          throw new SQLException("DuckDB read " + rs.getLong(1) + " rows, the CSV parser "
              + csv.rows().size());
        }
      }
    } finally {
      if (temp != null) {
        deleteQuietly(temp);
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
    try (Statement st = conn.createStatement()) {
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
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("DESCRIBE " + Sql.ident(table))) {
      while (rs.next()) {
        cols.add(new Column(rs.getString(1), rs.getString(2)));
      }
    }
    return List.copyOf(cols);
  }

  private void recoverIfBroken() {
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
      rs.next();
    } catch (SQLException | RuntimeException e) {
      close();
      connect();
    }
  }

  /** A JDBC value as a JSON value: numbers, strings, booleans, ISO dates; text clipped. */
  static Object json(Object v, int maxChars) {
    if (v == null || v instanceof Boolean || v instanceof Long) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b) {
      return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
    }
    if (v instanceof BigDecimal d) {
      return d.doubleValue();
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? (Object) d : String.valueOf(d);
    }
    if (v instanceof LocalDate || v instanceof LocalDateTime) {
      return ColumnType.json(v);
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (v instanceof Timestamp t) {
      return ColumnType.json(t.toLocalDateTime().withNano(0));
    }
    String s = String.valueOf(v);
    return s.length() <= maxChars ? s : s.substring(0, maxChars - 1) + "…";
  }

  private static String clip(String s) {
    return s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS - 1) + "…";
  }

  private static long ms(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // A leftover temp file is harmless.
    }
  }
}
