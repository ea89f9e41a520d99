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
    return name.equals("keywords") ? keywords()
        : TABLES.computeIfAbsent(name, n -> CsvTable.load(path(n)));
  }

  /**
   * A small table parsed from memory whose column names are SQL keywords (order, group, at,
   * select, set, count) or need quoting, to prove every generated query quotes them.
   */
  static CsvTable keywords() {
    return TABLES.computeIfAbsent("keywords", n -> {
      StringBuilder b = new StringBuilder("order,group,at,select,set,count,Total Amount\n");
      java.util.Random r = new java.util.Random(3);
      String[] groups = {"north", "south", "east", "west", "centre"};
      for (int i = 0; i < 120; i++) {
        b.append(i + 1).append(',').append(groups[r.nextInt(i % 3 == 0 ? 2 : 5)]).append(',')
            .append(java.time.LocalDate.of(2024, 1, 1).plusDays(r.nextInt(90))).append(',')
            .append(r.nextBoolean() ? "yes" : "no").append(',')
            .append(r.nextInt(10) == 0 ? "" : String.valueOf(r.nextInt(50))).append(',')
            .append(r.nextInt(7)).append(',')
            .append(r.nextInt(5) == 0 ? "" : String.format(java.util.Locale.ROOT, "%.2f",
                r.nextDouble() * 300)).append('\n');
      }
      return CsvTable.parse("select.csv", b.toString().getBytes(
          java.nio.charset.StandardCharsets.UTF_8));
    });
  }

  static Profile profile(String name) {
    return PROFILES.computeIfAbsent(name, n -> Profile.of(table(n)));
  }
}
