package io.convoforge.family.csvagent;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The four test CSVs (three shipped, one test-only), loaded once per JVM. */
final class Fixtures {
  static final List<String> NAMES = List.of("orders.csv", "bike_trips.csv",
      "clinic_appointments.csv", "bäckerei_verkäufe.csv");
  private static final Map<String, CsvTable> TABLES = new ConcurrentHashMap<>();
  private static final Map<String, Profile> PROFILES = new ConcurrentHashMap<>();

  private Fixtures() {}

  static Path path(String name) {
    if (name.startsWith("bäckerei")) {
      try {
        return Path.of(Fixtures.class.getResource("/csvagent/" + name).toURI());
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return Path.of("data/csv", name);
  }

  static CsvTable table(String name) {
    return TABLES.computeIfAbsent(name, n -> CsvTable.load(path(n)));
  }

  static Profile profile(String name) {
    return PROFILES.computeIfAbsent(name, n -> Profile.of(table(n)));
  }
}
