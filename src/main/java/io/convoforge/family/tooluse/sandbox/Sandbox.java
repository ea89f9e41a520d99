package io.convoforge.family.tooluse.sandbox;

import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.gen.Keys;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.ToolSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One conversation's database: an empty in-memory H2 database built from {@link SandboxDdl}
 * (fresh, or {@linkplain #reuse reused} inside a transaction rolled back on close), in
 * which the derived tools run as real SQL statements. Semantics and output shapes are those of
 * the offline writer's {@code MemoryStore} (so replayed results equal the recorded ones): create
 * INSERTs with the key {@link Keys#created} assigns and returns {@code {pk: key}}; get SELECTs
 * the row or fails {@code not_found}; search returns {@code {"results": [rows]}} in insertion
 * order; update returns the updated row; delete returns {@code {pk: key, "deleted": true}}.
 * A missing parent is {@code invalid_reference}, a taken unique value (or deleting a row other
 * rows still reference) is {@code conflict}, a violated NOT NULL or CHECK is
 * {@code constraint_violation}. Each failure also leaves a structured {@link Problem} that the
 * repair stage reads. Not thread-safe; open one per conversation and close it.
 */
public final class Sandbox implements AutoCloseable {
  private static final AtomicLong IDS = new AtomicLong();
  private static final String PREFIX = "cf" + Long.toHexString(System.nanoTime());
  private static final Pattern CHECK_NAME = Pattern.compile("CF_CK_(\\d+)");
  private static final Pattern COLUMN_NAME = Pattern.compile("column \"([^\"]+)\"");

  /**
   * What went wrong, for repair: {@code type} (not_found, invalid_reference, conflict,
   * constraint_violation, seed_missing_column, seed_missing_parent, seed_invalid_value,
   * seed_conflict, unknown_tool), the table and column concerned, the offending value and the
   * key of the row concerned.
   */
  public record Problem(String type, String table, String column, Object value, Object key,
      String message) {}

  private final Connection conn;
  /** Null: the database is this sandbox's own; else it is rolled back and handed back. */
  private final Runnable released;
  private final TablesSchema schema;
  private final Map<String, ToolSpec> tools;
  private final SandboxDdl ddl;
  private final String conversationId;
  private final ValueGenerator keyGenerator;
  private final Map<String, Integer> created = new HashMap<>();
  private long seq = 1_000_000;
  private Problem lastProblem;

  private Sandbox(Connection conn, TablesSchema schema, Map<String, ToolSpec> tools,
      SandboxDdl ddl, String conversationId, ValueGenerator keyGenerator, Runnable released) {
    this.conn = conn;
    this.released = released;
    this.schema = schema;
    this.tools = tools;
    this.ddl = ddl;
    this.conversationId = conversationId;
    this.keyGenerator = keyGenerator;
  }

  /** Opens a new, empty, isolated database with the schema's tables. */
  public static Sandbox open(TablesSchema schema, Map<String, ToolSpec> tools, SandboxDdl ddl,
      String conversationId, ValueGenerator keyGenerator) {
    return new Sandbox(database(ddl), schema, tools, ddl, conversationId, keyGenerator, null);
  }

  /**
   * A sandbox in {@code db} (made by {@link #database}, empty), inside one transaction that
   * {@link #close} rolls back, leaving the database empty again for the next conversation; then
   * runs {@code released}. The same isolation as a fresh database (no statement commits, and
   * the row order column is the sandbox's own), without creating the tables every time.
   */
  public static Sandbox reuse(Connection db, TablesSchema schema, Map<String, ToolSpec> tools,
      SandboxDdl ddl, String conversationId, ValueGenerator keyGenerator, Runnable released) {
    try {
      db.setAutoCommit(false);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot use the sandbox database: " + e.getMessage(), e);
    }
    return new Sandbox(db, schema, tools, ddl, conversationId, keyGenerator, released);
  }

  /** A new, empty, in-memory database with {@code ddl}'s tables; gone when closed. */
  public static Connection database(SandboxDdl ddl) {
    try {
      Connection c = DriverManager.getConnection(
          "jdbc:h2:mem:" + PREFIX + "_" + IDS.incrementAndGet() + ";DB_CLOSE_DELAY=0", "sa", "");
      try (Statement s = c.createStatement()) {
        for (String sql : ddl.statements()) {
          s.execute(sql);
        }
      }
      return c;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the sandbox database: " + e.getMessage(), e);
    }
  }

  public Problem lastProblem() {
    return lastProblem;
  }

  /**
   * Inserts the initial entities ("Table:key" -> row), parents first; returns a problem for each
   * row that could not be inserted (those rows are left out).
   */
  public List<Problem> seedAll(Map<String, Map<String, Object>> entities) {
    List<Problem> problems = new ArrayList<>();
    if (entities == null) {
      return problems;
    }
    Map<String, List<Object[]>> byTable = new HashMap<>();
    long index = 0;
    for (Map.Entry<String, Map<String, Object>> e : entities.entrySet()) {
      String name = tableOf(e.getKey());
      if (!schema.hasTable(name)) {
        problems.add(new Problem("seed_unknown_table", name, null, null, e.getKey(),
            "No table " + name + " in the schema."));
        continue;
      }
      byTable.computeIfAbsent(name, k -> new ArrayList<>())
          .add(new Object[] {index++, e.getValue()});
    }
    for (String table : ddl.tableOrder()) {
      for (Object[] r : byTable.getOrDefault(table, List.of())) {
        @SuppressWarnings("unchecked")
        Map<String, Object> row = (Map<String, Object>) r[1];
        Problem p = seed(table, row, (Long) r[0]);
        if (p != null) {
          problems.add(p);
        }
      }
    }
    return problems;
  }

  /** Inserts one seed row; null on success. */
  public Problem seed(String table, Map<String, Object> row, long order) {
    Table t = schema.table(table);
    Object key = row == null ? null : row.get(t.primaryKey());
    Map<String, Object> values = row == null ? Map.of() : row;
    for (Column c : t.columns().values()) {
      if ((t.isRequired(c.name()) || c.name().equals(t.primaryKey()))
          && values.get(c.name()) == null) {
        return new Problem("seed_missing_column", table, c.name(), null, key,
            "The " + t.label() + " " + key + " has no " + c.label() + ".");
      }
    }
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Column c = t.column(e.getKey());
      if (c != null && c.isForeignKey() && e.getValue() != null && schema.hasTable(c.references())
          && !exists(c.references(), e.getValue())) {
        return new Problem("seed_missing_parent", table, c.name(), e.getValue(), key,
            label(c.references()) + " " + e.getValue() + " referenced by " + c.name()
                + " does not exist.");
      }
    }
    try {
      insert(t, values, order);
      return null;
    } catch (BadValue e) {
      return new Problem("seed_invalid_value", table, e.column, e.value, key,
          "Invalid " + e.column.replace('_', ' ') + " " + e.value + " on the " + t.label() + ".");
    } catch (SQLException e) {
      ToolResult r = mapError("seed", t, values, e);
      Problem p = lastProblem;
      String type = "conflict".equals(r.error().code()) ? "seed_conflict"
          : "invalid_reference".equals(r.error().code()) ? "seed_missing_parent"
          : "seed_invalid_value";
      return new Problem(type, table, p == null ? null : p.column(),
          p == null ? null : p.value(), key, r.error().message());
    }
  }

  /** Executes one tool call as SQL. */
  public ToolResult execute(ToolCall call) {
    lastProblem = null;
    ToolSpec spec = tools.get(call.name());
    if (spec == null) {
      return fail(call.name(), "unknown_tool", null, null, null, null,
          "No tool named " + call.name() + ".");
    }
    Table t = schema.table(spec.table());
    Map<String, Object> args = call.arguments() == null ? Map.of() : call.arguments();
    String pk = t.primaryKey();
    try {
      switch (spec.action()) {
        case "create": {
          Map<String, Object> values = new LinkedHashMap<>(args);
          values.remove(pk);
          ToolResult bad = checkRow(call.name(), t, values, null);
          if (bad != null) {
            return bad;
          }
          int ordinal = created.getOrDefault(t.name(), 0);
          Object key = Keys.created(keyGenerator, t, conversationId, ordinal);
          Map<String, Object> row = new LinkedHashMap<>();
          row.put(pk, key);
          row.putAll(values);
          try {
            insert(t, row, seq++);
          } catch (SQLException e) {
            return mapError(call.name(), t, row, e);
          }
          created.put(t.name(), ordinal + 1);
          Map<String, Object> out = new LinkedHashMap<>();
          out.put(pk, key);
          return ToolResult.success(call.name(), out);
        }
        case "get": {
          Map<String, Object> row = select(t, args.get(pk));
          return row == null ? notFound(call.name(), t, args.get(pk))
              : ToolResult.success(call.name(), row);
        }
        case "search":
          return ToolResult.success(call.name(), Map.of("results", search(t, args)));
        case "update": {
          Object key = args.get(pk);
          if (select(t, key) == null) {
            return notFound(call.name(), t, key);
          }
          Map<String, Object> changes = new LinkedHashMap<>(args);
          changes.remove(pk);
          ToolResult bad = checkRow(call.name(), t, changes, key);
          if (bad != null) {
            return bad;
          }
          if (!changes.isEmpty()) {
            try {
              update(t, key, changes);
            } catch (SQLException e) {
              return mapError(call.name(), t, changes, e);
            }
          }
          return ToolResult.success(call.name(), select(t, key));
        }
        case "delete": {
          Object key = args.get(pk);
          if (select(t, key) == null) {
            return notFound(call.name(), t, key);
          }
          try (PreparedStatement ps = conn.prepareStatement("DELETE FROM " + SandboxDdl.q(t.name())
              + " WHERE " + SandboxDdl.q(pk) + " = ?")) {
            ps.setObject(1, param(t.key(), key));
            ps.executeUpdate();
          } catch (SQLException e) {
            return mapError(call.name(), t, args, e);
          }
          Map<String, Object> out = new LinkedHashMap<>();
          out.put(pk, key);
          out.put("deleted", true);
          return ToolResult.success(call.name(), out);
        }
        default:
          throw new IllegalStateException(spec.action());
      }
    } catch (BadValue e) {
      return fail(call.name(), "constraint_violation", t.name(), e.column, e.value, null,
          "Invalid " + e.column.replace('_', ' ') + " " + e.value + ": expected "
              + t.column(e.column).type() + ".");
    } catch (SQLException e) {
      throw new IllegalStateException("sandbox query failed: " + e.getMessage(), e);
    }
  }

  /** Every table's rows, ordered by key: the database state an evaluation compares. */
  public Map<String, List<Map<String, Object>>> dump() {
    Map<String, List<Map<String, Object>>> out = new TreeMap<>();
    for (Table t : schema.tables().values()) {
      List<Map<String, Object>> rows = new ArrayList<>();
      try (Statement s = conn.createStatement();
          ResultSet rs = s.executeQuery("SELECT * FROM " + SandboxDdl.q(t.name()) + " ORDER BY "
              + SandboxDdl.q(t.primaryKey()))) {
        while (rs.next()) {
          rows.add(read(t, rs));
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      out.put(t.name(), rows);
    }
    return out;
  }

  /** True when a row of {@code table} has key {@code key}. */
  public boolean exists(String table, Object key) {
    try {
      return select(schema.table(table), key) != null;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (released != null) {
      try {
        conn.rollback();
      } catch (SQLException e) {
        throw new IllegalStateException("cannot reset the sandbox database: " + e.getMessage(),
            e);
      }
      released.run();
      return;
    }
    try {
      conn.close();
    } catch (SQLException e) {
      // An in-memory database vanishes with its last connection; nothing to recover.
    }
  }

  // ---------------------------------------------------------------------------------------------

  private ToolResult checkRow(String tool, Table t, Map<String, Object> values, Object selfKey)
      throws SQLException {
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Column c = t.column(e.getKey());
      if (c == null) {
        return fail(tool, "constraint_violation", t.name(), e.getKey(), e.getValue(), selfKey,
            "A " + t.label() + " has no property " + e.getKey() + ".");
      }
      if (c.isForeignKey() && e.getValue() != null && schema.hasTable(c.references())
          && !exists(c.references(), e.getValue())) {
        return fail(tool, "invalid_reference", t.name(), c.name(), e.getValue(), selfKey,
            label(c.references()) + " " + e.getValue() + " referenced by " + c.name()
                + " does not exist.");
      }
      if (c.unique() && e.getValue() != null && taken(t, c, e.getValue(), selfKey)) {
        return fail(tool, "conflict", t.name(), c.name(), e.getValue(), selfKey,
            "A " + t.label() + " with " + c.name() + " " + e.getValue() + " already exists.");
      }
    }
    return null;
  }

  private boolean taken(Table t, Column c, Object value, Object selfKey) throws SQLException {
    String sql = "SELECT 1 FROM " + SandboxDdl.q(t.name()) + " WHERE " + SandboxDdl.q(c.name())
        + " = ?" + (selfKey == null ? "" : " AND " + SandboxDdl.q(t.primaryKey()) + " <> ?");
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setObject(1, param(c, value));
      if (selfKey != null) {
        ps.setObject(2, param(t.key(), selfKey));
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (BadValue e) {
      return false;
    }
  }

  private Map<String, Object> select(Table t, Object key) throws SQLException {
    if (key == null) {
      return null;
    }
    Object p;
    try {
      p = param(t.key(), key);
    } catch (BadValue e) {
      return null;
    }
    try (PreparedStatement ps = conn.prepareStatement("SELECT * FROM " + SandboxDdl.q(t.name())
        + " WHERE " + SandboxDdl.q(t.primaryKey()) + " = ?")) {
      ps.setObject(1, p);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? read(t, rs) : null;
      }
    }
  }

  private List<Map<String, Object>> search(Table t, Map<String, Object> args)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT * FROM ").append(SandboxDdl.q(t.name()));
    List<Object> params = new ArrayList<>();
    String sep = " WHERE ";
    for (Map.Entry<String, Object> e : args.entrySet()) {
      Column c = t.column(e.getKey());
      if (c == null) {
        return new ArrayList<>(); // no row has a property the table does not have
      }
      if (e.getValue() == null) {
        sql.append(sep).append(SandboxDdl.q(c.name())).append(" IS NULL");
      } else {
        try {
          params.add(param(c, e.getValue()));
        } catch (BadValue bad) {
          return new ArrayList<>();
        }
        sql.append(sep).append(SandboxDdl.q(c.name())).append(" = ?");
      }
      sep = " AND ";
    }
    sql.append(" ORDER BY ").append(SandboxDdl.q(SandboxDdl.SEQ));
    List<Map<String, Object>> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
      for (int i = 0; i < params.size(); i++) {
        ps.setObject(i + 1, params.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(t, rs));
        }
      }
    }
    return out;
  }

  private void insert(Table t, Map<String, Object> row, long order) throws SQLException {
    List<String> cols = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    cols.add(SandboxDdl.q(SandboxDdl.SEQ));
    params.add(order);
    for (Map.Entry<String, Object> e : row.entrySet()) {
      Column c = t.column(e.getKey());
      if (c == null) {
        throw new BadValue(e.getKey(), e.getValue());
      }
      cols.add(SandboxDdl.q(c.name()));
      params.add(e.getValue() == null ? null : param(c, e.getValue()));
    }
    String sql = "INSERT INTO " + SandboxDdl.q(t.name()) + " (" + String.join(", ", cols)
        + ") VALUES (" + "?, ".repeat(cols.size() - 1) + "?)";
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) {
        ps.setObject(i + 1, params.get(i));
      }
      ps.executeUpdate();
    }
  }

  private void update(Table t, Object key, Map<String, Object> changes) throws SQLException {
    List<String> sets = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    for (Map.Entry<String, Object> e : changes.entrySet()) {
      Column c = t.column(e.getKey());
      sets.add(SandboxDdl.q(c.name()) + " = ?");
      params.add(e.getValue() == null ? null : param(c, e.getValue()));
    }
    params.add(param(t.key(), key));
    try (PreparedStatement ps = conn.prepareStatement("UPDATE " + SandboxDdl.q(t.name()) + " SET "
        + String.join(", ", sets) + " WHERE " + SandboxDdl.q(t.primaryKey()) + " = ?")) {
      for (int i = 0; i < params.size(); i++) {
        ps.setObject(i + 1, params.get(i));
      }
      ps.executeUpdate();
    }
  }

  private static Map<String, Object> read(Table t, ResultSet rs) throws SQLException {
    Map<String, Object> row = new LinkedHashMap<>();
    for (Column c : t.columns().values()) {
      Object v;
      switch (c.type()) {
        case "integer":
          long l = rs.getLong(c.name());
          v = rs.wasNull() ? null : l;
          break;
        case "number":
          double d = rs.getDouble(c.name());
          v = rs.wasNull() ? null : d;
          break;
        case "boolean":
          boolean b = rs.getBoolean(c.name());
          v = rs.wasNull() ? null : b;
          break;
        default:
          v = rs.getString(c.name());
      }
      if (v != null) {
        row.put(c.name(), v);
      }
    }
    return row;
  }

  /** A JSON value as the column's SQL parameter, or BadValue when it cannot be one. */
  private static Object param(Column c, Object v) {
    switch (c.type()) {
      case "integer":
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
          return n.longValue();
        }
        if (v instanceof String s && s.matches("-?\\d{1,18}")) {
          return Long.parseLong(s);
        }
        throw new BadValue(c.name(), v);
      case "number":
        if (v instanceof Number n) {
          return n.doubleValue();
        }
        throw new BadValue(c.name(), v);
      case "boolean":
        if (v instanceof Boolean) {
          return v;
        }
        throw new BadValue(c.name(), v);
      default:
        return v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
            ? String.valueOf(n.longValue()) : String.valueOf(v);
    }
  }

  private ToolResult mapError(String tool, Table t, Map<String, Object> row, SQLException e) {
    int code = e.getErrorCode();
    String msg = String.valueOf(e.getMessage());
    Object key = row.get(t.primaryKey());
    switch (code) {
      case 23505: // unique index or primary key violated
        return fail(tool, "conflict", t.name(), null, key, key,
            "A " + t.label() + " with the same key or unique value already exists.");
      case 23506: // referenced parent missing
        return fail(tool, "invalid_reference", t.name(), null, null, key,
            "A record referenced by this " + t.label() + " does not exist.");
      case 23503: // rows still reference it
        return fail(tool, "conflict", t.name(), null, key, key,
            "Cannot delete " + t.label() + " " + key + ": other records still reference it.");
      case 23502: { // NOT NULL
        Matcher m = COLUMN_NAME.matcher(msg);
        String col = m.find() ? m.group(1) : null;
        return fail(tool, "constraint_violation", t.name(), col, null, key,
            "Missing required " + (col == null ? "value" : col.replace('_', ' ')) + " for the "
                + t.label() + ".");
      }
      case 23513: { // CHECK
        Matcher m = CHECK_NAME.matcher(msg);
        SandboxDdl.Check check = m.find() ? ddl.check(Integer.parseInt(m.group(1))) : null;
        if (check != null) {
          Object value = row.get(check.column());
          return fail(tool, "constraint_violation", t.name(), check.column(), value, key,
              "Invalid " + check.column().replace('_', ' ') + " " + value + ": it "
                  + check.rule() + ".");
        }
        return fail(tool, "constraint_violation", t.name(), null, null, key,
            "A value of the " + t.label() + " breaks a constraint.");
      }
      default:
        if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
          return fail(tool, "constraint_violation", t.name(), null, null, key,
              "A value of the " + t.label() + " has the wrong type or size.");
        }
        throw new IllegalStateException("sandbox statement failed: " + msg, e);
    }
  }

  private ToolResult fail(String tool, String code, String table, String column, Object value,
      Object key, String message) {
    lastProblem = new Problem(code, table, column, value, key, message);
    return ToolResult.failure(tool, code, message);
  }

  private ToolResult notFound(String tool, Table t, Object key) {
    return fail(tool, "not_found", t.name(), t.primaryKey(), key, key,
        "No " + t.label() + " with " + t.primaryKey() + " " + key + ".");
  }

  private String label(String table) {
    String s = schema.table(table).label();
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  static String tableOf(String entityKey) {
    int i = entityKey.indexOf(':');
    return i < 0 ? entityKey : entityKey.substring(0, i);
  }

  /** A value the column's SQL type cannot hold. */
  private static final class BadValue extends RuntimeException {
    final String column;
    final Object value;

    BadValue(String column, Object value) {
      super(null, null, false, false);
      this.column = column;
      this.value = value;
    }
  }
}
