package io.convoforge.family.scenario.registry;

import io.convoforge.core.input.InputException;
import io.convoforge.core.model.Json;
import io.convoforge.family.scenario.batch.WrittenBatch;
import io.convoforge.family.scenario.model.Transcript;
import io.convoforge.family.scenario.spec.PromptSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The registry of prompts, batches and conversations, in a real database through JDBC, so that
 * later stages find data by metadata rather than by scanning folders.
 *
 * <p>Default: an embedded H2 file database under {@code .convoforge/registry} ({@link
 * #defaultUrl}). H2 rather than SQLite: it is already a dependency (no native library), it is
 * JDBC-native, MVCC with row locks, and {@code AUTO_SERVER=TRUE} lets several processes share one
 * file (the first to open it serves the others over a local socket). PostgreSQL goes through the
 * same code with a {@code jdbc:postgresql://…} URL; the tables are created on first use with
 * portable DDL ({@link Dialect}).
 *
 * <p>Registration is idempotent and safe with several processes at once. A prompt is inserted
 * unless its id (a hash of its content) exists. A batch and all its conversations go in one
 * transaction: a failure leaves none of its rows. A batch already registered with the same
 * batch.json hash is left alone (nothing is updated twice); with another hash it is an {@link
 * InputException}. Races between processes (both see the batch missing, one inserts first) end
 * with the loser's insert doing nothing or hitting the key, its transaction rolled back and
 * retried, when it finds the winner's rows. {@code registered_at}/{@code created_at} are the wall
 * clock at first registration (the only wall-clock values; batch files stay deterministic).
 *
 * <p>Not thread-safe: one instance per thread (methods are synchronized as a guard). {@link
 * SQLException}s that persist after retries are thrown as {@link IllegalStateException}.
 */
public final class Registry implements AutoCloseable {
  private static final int ATTEMPTS = 6;

  private final String url;
  private final Dialect dialect;
  private Connection conn;

  private Registry(String url) {
    this.url = url;
    this.dialect = Dialect.of(url);
  }

  /** The default registry URL: an H2 file under {@code dir}, shareable by processes. */
  public static String defaultUrl(Path dir) {
    return "jdbc:h2:file:" + dir.toAbsolutePath().normalize().resolve("registry")
        + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=20000";
  }

  /** Opens {@code url} (blank: {@link #defaultUrl} of {@code .convoforge/registry}), creating the tables. */
  public static Registry open(String url) {
    Registry r = new Registry(url == null || url.isBlank()
        ? defaultUrl(Path.of(".convoforge", "registry")) : url.trim());
    r.inTransaction(c -> {
      try (Statement s = c.createStatement()) {
        for (String ddl : Dialect.DDL) {
          s.execute(ddl);
        }
      }
      return null;
    });
    return r;
  }

  /** Registers {@code spec} read from {@code path} unless its id is there; returns its id. */
  public synchronized String registerPrompt(PromptSpec spec, Path path) {
    return inTransaction(c -> {
      try (PreparedStatement p = c.prepareStatement(
          dialect.insertIfAbsent("prompts", Dialect.PROMPTS))) {
        p.setString(1, spec.id());
        p.setString(2, path.toAbsolutePath().normalize().toString());
        p.setString(3, spec.sha256());
        p.setString(4, spec.title());
        p.setString(5, spec.language());
        p.setInt(6, spec.turns());
        p.setInt(7, spec.scenarios().size());
        p.setObject(8, now());
        p.executeUpdate();
      }
      return spec.id();
    });
  }

  /**
   * Registers a written batch and its conversations in one transaction (see the class comment).
   * Its prompt must be registered first.
   */
  public synchronized Rows.Registration registerBatch(WrittenBatch b) {
    return inTransaction(c -> {
      Optional<Rows.Batch> existing = batch(c, b.id());
      if (existing.isPresent()) {
        if (!existing.get().sha256().equals(b.sha256())) {
          throw new InputException(b.dir().toString(), "batch.json", "batch " + b.id()
              + " is registered with batch.json sha256 " + existing.get().sha256() + ", not "
              + b.sha256());
        }
        return new Rows.Registration(b.id(), false, 0);
      }
      try (PreparedStatement p = c.prepareStatement(
          dialect.insertIfAbsent("batches", Dialect.BATCHES))) {
        p.setString(1, b.id());
        p.setString(2, b.batch().promptId());
        p.setString(3, b.batch().scenarioMode());
        p.setString(4, b.batch().scenario());
        p.setInt(5, b.batch().size());
        p.setString(6, b.dir().toAbsolutePath().normalize().toString());
        p.setString(7, b.sha256());
        p.setObject(8, now());
        p.setString(9, b.batch().runId());
        if (p.executeUpdate() == 0) {
          throw new Retry("batch " + b.id() + " registered meanwhile by another process");
        }
      }
      try (PreparedStatement p = c.prepareStatement(
          Dialect.insert("conversations", Dialect.CONVERSATIONS))) {
        for (Transcript t : b.batch().conversations()) {
          p.setString(1, t.id());
          p.setString(2, b.id());
          p.setString(3, t.scenario().id());
          p.setString(4, Json.write(t.messages()));
          setTimestamp(p, 5, t.firstTimestamp());
          setTimestamp(p, 6, t.lastTimestamp());
          p.setString(7, b.conversationSha256().get(t.id()));
          p.addBatch();
        }
        p.executeBatch();
      }
      return new Rows.Registration(b.id(), true, b.batch().conversations().size());
    });
  }

  /** All prompts, by id. */
  public synchronized List<Rows.Prompt> prompts() {
    return inTransaction(c -> {
      List<Rows.Prompt> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT id, path, sha256, title, language,"
          + " turns, scenarios, registered_at FROM prompts ORDER BY id");
          ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(new Rows.Prompt(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
              r.getString(5), r.getInt(6), r.getInt(7), r.getObject(8, OffsetDateTime.class)));
        }
      }
      return out;
    });
  }

  /** Batches, by id; {@code promptId} and {@code scenario} (held by any of its calls) filter when not null. */
  public synchronized List<Rows.Batch> batches(String promptId, String scenario) {
    return inTransaction(c -> {
      String sql = BATCH_SELECT + " WHERE (CAST(? AS VARCHAR(200)) IS NULL OR b.prompt_id = ?)"
          + " AND (CAST(? AS VARCHAR(200)) IS NULL OR EXISTS"
          + " (SELECT 1 FROM conversations c WHERE c.batch_id = b.id AND c.scenario_id = ?))"
          + " ORDER BY b.id";
      try (PreparedStatement p = c.prepareStatement(sql)) {
        bindFilter(p, 1, promptId);
        bindFilter(p, 3, scenario);
        return batchRows(p);
      }
    });
  }

  public synchronized Optional<Rows.Batch> batch(String id) {
    return inTransaction(c -> batch(c, id));
  }

  /** Conversations, by id; each filter applies when not null. */
  public synchronized List<Rows.Conversation> conversations(String batchId, String scenarioId,
      String promptId) {
    return inTransaction(c -> {
      String sql = "SELECT c.id, c.batch_id, c.scenario_id, c.messages, c.first_timestamp,"
          + " c.last_timestamp, c.sha256 FROM conversations c JOIN batches b ON b.id = c.batch_id"
          + " WHERE (CAST(? AS VARCHAR(200)) IS NULL OR c.batch_id = ?)"
          + " AND (CAST(? AS VARCHAR(200)) IS NULL OR c.scenario_id = ?)"
          + " AND (CAST(? AS VARCHAR(200)) IS NULL OR b.prompt_id = ?) ORDER BY c.id";
      List<Rows.Conversation> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement(sql)) {
        bindFilter(p, 1, batchId);
        bindFilter(p, 3, scenarioId);
        bindFilter(p, 5, promptId);
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            out.add(new Rows.Conversation(r.getString(1), r.getString(2), r.getString(3),
                r.getString(4), r.getObject(5, OffsetDateTime.class),
                r.getObject(6, OffsetDateTime.class), r.getString(7)));
          }
        }
      }
      return out;
    });
  }

  /**
   * Which of {@code ids} (batches of prompt {@code promptId}) are registered by another run
   * configuration than {@code runId}: batch id to the other run id.
   */
  public synchronized Map<String, String> takenByOtherRuns(String promptId, Set<String> ids,
      String runId) {
    return inTransaction(c -> {
      Map<String, String> out = new TreeMap<>();
      try (PreparedStatement p = c.prepareStatement(
          "SELECT id, run_id FROM batches WHERE prompt_id = ?")) {
        p.setString(1, promptId);
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            String other = r.getString(2);
            if (ids.contains(r.getString(1)) && !java.util.Objects.equals(other, runId)) {
              out.put(r.getString(1), other);
            }
          }
        }
      }
      return out;
    });
  }

  /** Checks a registered batch against its files; an empty list means clean. See {@link Audit}. */
  public List<Finding> audit(String batchId) {
    Optional<Rows.Batch> b = batch(batchId);
    if (b.isEmpty()) {
      return List.of(new Finding("batches row " + batchId, "not registered"));
    }
    return Audit.check(b.get(), conversations(batchId, null, null));
  }

  /** The URL, without a password. */
  public String url() {
    return Dialect.redact(url);
  }

  @Override
  public synchronized void close() {
    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException ignored) {
        // Closing a broken connection has nothing left to release.
      }
      conn = null;
    }
  }

  private static final String BATCH_SELECT = "SELECT b.id, b.prompt_id, b.scenario_mode,"
      + " b.scenario, b.size, b.path, b.sha256, b.created_at, b.run_id FROM batches b";

  private Optional<Rows.Batch> batch(Connection c, String id) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(BATCH_SELECT + " WHERE b.id = ?")) {
      p.setString(1, id);
      List<Rows.Batch> rows = batchRows(p);
      return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }
  }

  private static List<Rows.Batch> batchRows(PreparedStatement p) throws SQLException {
    List<Rows.Batch> out = new ArrayList<>();
    try (ResultSet r = p.executeQuery()) {
      while (r.next()) {
        out.add(new Rows.Batch(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
            r.getInt(5), r.getString(6), r.getString(7), r.getObject(8, OffsetDateTime.class),
            r.getString(9)));
      }
    }
    return out;
  }

  private static void bindFilter(PreparedStatement p, int at, String value) throws SQLException {
    p.setString(at, value);
    p.setString(at + 1, value);
  }

  private static void setTimestamp(PreparedStatement p, int at, String iso) throws SQLException {
    if (iso == null) {
      p.setNull(at, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      p.setObject(at, OffsetDateTime.parse(iso));
    }
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** A lost race: roll back and run the transaction again. */
  private static final class Retry extends SQLException {
    Retry(String message) {
      super(message, "40001");
    }
  }

  private synchronized <T> T inTransaction(Work<T> work) {
    SQLException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Connection c = null;
      try {
        c = connection();
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException e) {
        last = e;
        rollback(c);
        if (!retriable(e)) {
          break;
        }
        if (isConnectionLoss(e)) {
          close();
        }
        backoff(attempt);
      } catch (RuntimeException e) {
        rollback(c);
        throw e;
      }
    }
    throw new IllegalStateException("registry " + url() + ": " + last.getMessage(), last);
  }

  private Connection connection() throws SQLException {
    if (conn == null) {
      conn = DriverManager.getConnection(url);
      conn.setAutoCommit(false);
    }
    return conn;
  }

  private static void rollback(Connection c) {
    if (c != null) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // The connection is gone; the database discards the transaction itself.
      }
    }
  }

  /** Unique violations and serialization failures (lost races), lock timeouts, lost connections. */
  private static boolean retriable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        String state = ((SQLException) t).getSQLState();
        if (state != null && (state.equals("23505") || state.startsWith("40")
            || state.equals("HYT00") || state.startsWith("08") || state.equals("42P07"))) {
          return true;
        }
      }
    }
    return isConnectionLoss(e);
  }

  private static boolean isConnectionLoss(SQLException e) {
    String state = e.getSQLState();
    return state != null && state.startsWith("08") || e.getErrorCode() == 90067;
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(25L * attempt * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
