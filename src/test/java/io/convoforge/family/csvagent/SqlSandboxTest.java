package io.convoforge.family.csvagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlSandboxTest {
  private static SqlSandbox sandbox;

  @BeforeAll
  static void open() {
    sandbox = SqlSandbox.open(Fixtures.table("orders.csv"), Fixtures.profile("orders.csv"),
        SqlSandbox.Limits.defaults().withTimeoutMs(400));
  }

  @AfterAll
  static void close() {
    sandbox.close();
  }

  @Test
  void loadsTheCsvWithTheProfileTypes() {
    assertEquals("orders", sandbox.table());
    assertTrue(sandbox.schema().contains(new SqlDatabase.Column("order_date", "DATE")));
    assertTrue(sandbox.schema().contains(new SqlDatabase.Column("order_total", "DOUBLE")));
    assertTrue(sandbox.schema().contains(new SqlDatabase.Column("gift_wrap", "BOOLEAN")));
    assertTrue(sandbox.schema().contains(new SqlDatabase.Column("quantity", "BIGINT")));
    SqlResult r = sandbox.run("SELECT COUNT(*) AS n, COUNT(discount_pct) AS d FROM orders;");
    assertTrue(r.ok(), r.error());
    assertEquals(List.of("n", "d"), r.columns());
    assertEquals(1500L, r.scalar());
    assertTrue((Long) r.rows().get(0).get(1) < 1500L, "empty cells are NULL");
  }

  @Test
  void showsTheFirstRowsAndCountsAll() {
    SqlResult r = sandbox.run("SELECT order_id, order_date, review FROM orders ORDER BY order_id");
    assertTrue(r.ok());
    assertEquals(20, r.rows().size());
    assertEquals(1500, r.rowCount());
    assertEquals(List.of(100001L, "2024-01-01"), r.rows().get(0).subList(0, 2));
    assertTrue(r.observation().containsKey("note"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM read_csv('/etc/passwd')",
      "select * from READ_CSV_AUTO('/etc/passwd')",
      "SELECT * FROM '/etc/passwd'",
      "SELECT * FROM 'orders.csv'",
      "SELECT * FROM read_text('/etc/hostname')",
      "SELECT * FROM read_blob('/etc/hostname')",
      "SELECT * FROM read_parquet('x.parquet')",
      "SELECT * FROM read_json('x.json')",
      "SELECT * FROM glob('/etc/*')",
      "SELECT * FROM 'https://example.com/data.csv'",
      "SELECT * FROM query('SELECT 1')",
      "COPY orders TO '/tmp/x.csv'",
      "ATTACH 'x.db'",
      "INSTALL httpfs",
      "LOAD httpfs",
      "SET threads=8",
      "RESET threads",
      "PRAGMA version",
      "CALL pragma_version()",
      "EXPORT DATABASE '/tmp/dump'",
      "IMPORT DATABASE '/tmp/dump'",
      "CREATE TABLE x AS SELECT 1",
      "DROP TABLE orders",
      "DELETE FROM orders",
      "SELECT 1; SELECT 2",
      "SELECT 1 /* ; */; DROP TABLE orders",
      "-- a comment\nSET threads = 8",
      "SELECT E'\\x27'",
      "SELECT $$x$$",
      "SELECT 'unterminated",
      "WITH x AS (SELECT 1) INSERT INTO orders SELECT * FROM orders",
      "",
  })
  void refusesWithoutExecuting(String sql) {
    SqlResult r = sandbox.run(sql);
    assertFalse(r.ok());
    assertTrue(r.error().startsWith("Refused: "), r.error());
    assertEquals(1500L, sandbox.run("SELECT COUNT(*) FROM orders").scalar());
  }

  @Test
  void aRefusedCopyWritesNothing(@TempDir Path dir) {
    Path out = dir.resolve("x.csv");
    assertFalse(sandbox.run("COPY orders TO '" + out + "'").ok());
    assertFalse(Files.exists(out));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT 'a;b -- not a comment' AS s;",
      "DESCRIBE orders",
      "SUMMARIZE SELECT order_total FROM orders",
      "SHOW TABLES",
      "WITH d AS (SELECT * FROM orders WHERE status = 'delivered') SELECT COUNT(*) FROM d",
      "FROM orders SELECT MAX(order_total)",
      "SELECT replace(status, 'e', 'E') FROM orders LIMIT 1",
  })
  void allowsReadOnlyQueries(String sql) {
    SqlResult r = sandbox.run(sql);
    assertTrue(r.ok(), sql + " -> " + r.error());
  }

  @Test
  void duckDbLockdownIsTheSecondLine() {
    SqlResult r = sandbox.run("SELECT current_setting('enable_external_access') AS ext,"
        + " current_setting('lock_configuration') AS locked, current_setting('threads') AS t,"
        + " current_setting('autoinstall_known_extensions') AS auto");
    assertTrue(r.ok(), r.error());
    assertEquals(List.of(false, true, 1L, false), r.rows().get(0));
  }

  @Test
  void sqlErrorsAreObservations() {
    SqlResult r = sandbox.run("SELECT ordr_total FROM orders");
    assertFalse(r.ok());
    assertTrue(r.error().contains("ordr_total"), r.error());
    assertEquals(r.error(), r.observation().get("error"));
    assertFalse(sandbox.run("SELECT FROM WHERE").ok());
    assertFalse(sandbox.run("SELECT 1/'x'").ok());
    assertTrue(sandbox.run("SELECT 1").ok(), "usable after errors");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT COUNT(*) FROM r",
      "SELECT COUNT(*) FROM range(100000000) a, range(100000000) b",
      "SELECT COUNT(*) FROM orders a, orders b, orders c, orders d",
  })
  void runawayQueriesTimeOutAndTheSandboxStaysUsable(String sql) {
    SqlResult r = sandbox.run(sql);
    assertFalse(r.ok());
    assertTrue(r.error().startsWith("Timeout: "), r.error());
    assertTrue(r.ms() < 5_000, "stopped promptly: " + r.ms() + " ms");
    assertEquals(1500L, sandbox.run("SELECT COUNT(*) FROM orders").scalar());
  }

  @Test
  void memoryHogsFailAsObservations() {
    SqlResult r = sandbox.run("SELECT string_agg(repeat('x', 1000), ',') FROM range(1000000)");
    assertFalse(r.ok());
    assertTrue(sandbox.run("SELECT 1").ok());
  }

  @Test
  void tablesParsedFromBytesLoadFromATemporaryCopy() {
    String csv = "city;temp °C;note\nOslo;-3.5;\"a;b\"\nKöln;4;\n";
    CsvTable t = CsvTable.parse("2024 weather.csv", csv.getBytes(StandardCharsets.UTF_8));
    try (SqlSandbox s = SqlSandbox.open(t, Profile.of(t))) {
      assertEquals("t_2024_weather", s.table());
      SqlResult r = s.run("SELECT SUM(\"temp °C\"), COUNT(note) FROM t_2024_weather");
      assertEquals(List.of(0.5, 1L), r.rows().get(0));
    }
  }

  @Test
  void episodesShareOneLoadedDatabaseThroughTheirOwnConnections() {
    try (SqlDatabase db = SqlDatabase.load(Fixtures.table("orders.csv"),
        Fixtures.profile("orders.csv"), SqlSandbox.Limits.defaults().withTimeoutMs(300))) {
      SqlSandbox a = db.connect();
      try (SqlSandbox b = db.connect()) {
        assertTrue(a.run("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r)"
            + " SELECT COUNT(*) FROM r").error().startsWith("Timeout"));
        assertEquals(1500L, b.run("SELECT COUNT(*) FROM orders").scalar());
        assertFalse(b.run("SET threads = 4").ok());
      }
      a.close();
      try (SqlSandbox c = db.connect()) {
        assertEquals(1500L, c.run("SELECT COUNT(*) FROM orders").scalar(), "db outlives them");
        assertEquals(false, c.run("SELECT current_setting('enable_external_access')").scalar());
      }
    }
  }

  @Test
  void aClosedSandboxAnswersWithAnError() {
    SqlSandbox s = SqlSandbox.open(Fixtures.table("orders.csv"), Fixtures.profile("orders.csv"));
    s.close();
    assertFalse(s.run("SELECT 1").ok());
  }
}
