package io.convoforge.family.csvagent;

import io.convoforge.TestSupport;
import io.convoforge.core.run.Inputs;
import io.convoforge.testing.Cli;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Shared fixtures of the csv-agent family's pipeline tests. */
final class CsvAgentTesting {
  static final Path RECIPE = Path.of("pipelines/csv-agent.yaml");

  private static Cli.Outcome trial;
  private static Path trialDir;

  private CsvAgentTesting() {}

  /**
   * {@code run pipelines/csv-agent.yaml --trial} of the shipped recipe, once per JVM (several
   * test classes read its output): what it printed, and {@link #trialDir()}.
   */
  static synchronized Cli.Outcome trial() {
    if (trial == null) {
      try {
        trialDir = java.nio.file.Files.createTempDirectory("csv-agent-trial").resolve("out");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      trial = Cli.run("run", RECIPE.toString(), "--trial", "--out", trialDir.toString());
    }
    return trial;
  }

  static synchronized Path trialDir() {
    trial();
    return trialDir;
  }

  /** The shipped recipe with {@code overrides}, loaded and checked as {@code run} would. */
  static Inputs inputs(String... overrides) {
    return Inputs.load(RECIPE, List.of(overrides), null);
  }

  static CsvAgentRun run(Inputs in) {
    return (CsvAgentRun) in.run();
  }

  /**
   * A CSV the project has never seen: warehouse shipments with a date, a long-tail categorical
   * column, yes/no, decimals with empty cells and quoted free text; {@code rows} rows.
   */
  static Path shipments(Path dir, int rows) {
    Random r = new Random(42);
    String[] warehouses = {"Leeds", "Leeds", "Leeds", "Rotterdam", "Rotterdam", "Lyon", "Gdansk",
        "Porto", "Brno", "Tartu", "Cork"};
    String[] carriers = {"DHL", "UPS", "PostNL", "DPD"};
    StringBuilder b = new StringBuilder(
        "shipment_id,shipped_on,warehouse,carrier,weight_kg,items,express,cost_eur,note\n");
    for (int i = 0; i < rows; i++) {
      b.append(900_000 + i).append(',')
          .append(LocalDate.of(2024, 3, 1).plusDays(r.nextInt(120))).append(',')
          .append(warehouses[r.nextInt(warehouses.length)]).append(',')
          .append(carriers[r.nextInt(carriers.length)]).append(',')
          .append(r.nextInt(9) == 0 ? "" : String.format(Locale.ROOT, "%.1f",
              0.5 + r.nextDouble() * 40)).append(',')
          .append(1 + r.nextInt(12)).append(',')
          .append(r.nextBoolean() ? "yes" : "no").append(',')
          .append(String.format(Locale.ROOT, "%.2f", 4 + r.nextDouble() * 90)).append(',')
          .append(r.nextInt(5) == 0 ? "\"fragile, handle with care\"" : "").append('\n');
    }
    return TestSupport.write(dir, "shipments.csv", b.toString());
  }
}
