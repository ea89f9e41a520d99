package io.convoforge.family.scenario.registry;

import io.convoforge.core.input.InputException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What can be said of a registry's JDBC URL without connecting to it. */
public final class RegistryUrl {
  private RegistryUrl() {}

  /**
   * Checks that {@code url} names a database the registry supports (H2 or PostgreSQL);
   * otherwise an {@link InputException} naming {@code file} and {@code field}.
   */
  public static void check(String url, String file, String field) {
    try {
      Dialect.of(url);
    } catch (InputException e) {
      throw new InputException(file, field, e.problems().get(0).message());
    }
  }

  /** The URL without its password, for messages. */
  public static String redacted(String url) {
    return Dialect.redact(url);
  }

  /**
   * Whether the database of {@code url} may hold a registry already: an H2 file that exists, or
   * any other database but an in-memory one (it is asked when opened). A registry never created
   * has nothing to conflict with, and opening it would create it.
   */
  public static boolean mayExist(String url) {
    if (url.startsWith("jdbc:h2:file:")) {
      String path = url.substring("jdbc:h2:file:".length()).split(";", 2)[0];
      return Files.exists(Path.of(path + ".mv.db"));
    }
    return !url.startsWith("jdbc:h2:mem:");
  }
}
