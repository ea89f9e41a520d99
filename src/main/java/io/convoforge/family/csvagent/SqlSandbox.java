package io.convoforge.family.csvagent;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One episode's SQL sandbox: its own connection to a locked-down {@link SqlDatabase} holding one
 * CSV as one table.
 *
 * <p>Out of {@link #run}: a {@link SqlResult} for every statement — refused ones (see {@link
 * SqlGuard}) are never executed; a statement running longer than the timeout is cancelled from a
 * watchdog thread ({@link Statement#cancel()}, DuckDB's interrupt) and reported as an error; if the
 * connection is unusable afterwards it is replaced by a fresh one to the same database. {@code run}
 * never throws. {@link #open} makes a sandbox with a private database (loaded for it, closed with
 * it); {@link SqlDatabase#connect} makes one over a database shared by many episodes, which costs
 * a connection instead of a CSV load. One thread at a time; close it after the episode.
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

    /**
     * 10 s per statement (a guard against runaway queries, generous because a legitimate
     * statement cut short by a loaded machine would change the dataset), 256MB, 20 rows of at
     * most 200 characters per cell.
     */
    public static Limits defaults() {
      return new Limits(10_000, "256MB", 20, 200);
    }

    public Limits withTimeoutMs(long ms) {
      return new Limits(ms, memoryLimit, rowCap, cellChars);
    }

    public Limits withRowCap(int rows) {
      return new Limits(timeoutMs, memoryLimit, rows, cellChars);
    }

    public Limits withMemoryLimit(String limit) {
      return new Limits(timeoutMs, limit, rowCap, cellChars);
    }
  }

  private final SqlDatabase database;
  private final boolean ownsDatabase;
  private Connection conn;

  SqlSandbox(SqlDatabase database, Connection conn, boolean ownsDatabase) {
    this.database = database;
    this.conn = conn;
    this.ownsDatabase = ownsDatabase;
  }

  /** A sandbox over its own database: loads the CSV (see {@link SqlDatabase#load}). */
  public static SqlSandbox open(CsvTable csv, Profile profile) {
    return open(csv, profile, Limits.defaults());
  }

  public static SqlSandbox open(CsvTable csv, Profile profile, Limits limits) {
    SqlDatabase db = SqlDatabase.load(csv, profile, limits);
    return new SqlSandbox(db, db.newConnection(), true);
  }

  /** The SQL name of the loaded table. */
  public String table() {
    return database.table();
  }

  public List<SqlDatabase.Column> schema() {
    return database.schema();
  }

  public Limits limits() {
    return database.limits();
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
      }, limits().timeoutMs(), TimeUnit.MILLISECONDS);
      try {
        return read(st, sql, t0, cancelled);
      } finally {
        watchdog.cancel(false);
      }
    } catch (SQLException | RuntimeException e) {
      if (cancelled.get()) {
        recoverIfBroken();
        return SqlResult.failure("Timeout: the statement was cancelled after "
            + limits().timeoutMs() + " ms", ms(t0));
      }
      return SqlResult.failure(clip(String.valueOf(e.getMessage())), ms(t0));
    }
  }

  @Override
  public void close() {
    if (conn != null) {
      SqlDatabase.closeQuietly(conn);
      conn = null;
    }
    if (ownsDatabase) {
      database.close();
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
      long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(limits().timeoutMs());
      while (rs.next()) {
        if (count < limits().rowCap()) {
          List<Object> row = new ArrayList<>(n);
          for (int i = 1; i <= n; i++) {
            row.add(json(rs.getObject(i), limits().cellChars()));
          }
          rows.add(java.util.Collections.unmodifiableList(row));
        }
        count++;
        if ((count & 1023) == 0 && (cancelled.get() || System.nanoTime() > deadline)) {
          cancelled.set(true);
          throw new SQLException("cancelled while reading rows");
        }
      }
      return new SqlResult(true, List.copyOf(cols), List.copyOf(rows), count, null, ms(t0));
    }
  }

  private void recoverIfBroken() {
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
      rs.next();
    } catch (SQLException | RuntimeException e) {
      SqlDatabase.closeQuietly(conn);
      try {
        conn = database.newConnection();
      } catch (IllegalStateException closed) {
        conn = null;
      }
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

  static String clip(String s) {
    return s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS - 1) + "…";
  }

  private static long ms(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }
}
