package io.convoforge.family.scenario;

import io.convoforge.family.scenario.batch.BatchWriter;
import io.convoforge.family.scenario.batch.WrittenBatch;
import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.offline.OfflineTranscripts;
import io.convoforge.family.scenario.registry.Registry;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Figures, printed not asserted: offline calls per second on one thread (the writer alone; with
 * timestamps; the whole batch assembly with the rules checked), batch writing, and registry
 * registration rows per second on H2 (the default file URL) and on PostgreSQL (embedded).
 *
 * <p>Run: {@code java -cp target/test-classes:target/classes:<test classpath>
 * io.convoforge.family.scenario.ScenarioBench [conversations]}
 */
public final class ScenarioBench {
  private ScenarioBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    for (Path p : List.of(Fixtures.ES, Fixtures.EN)) {
      offline(Fixtures.spec(p), p, n);
    }
    Path root = Files.createTempDirectory("scenario-bench");
    List<WrittenBatch> batches = write(root, 40, 250);
    try (Registry h2 = Registry.open(Registry.defaultUrl(root.resolve("registry")))) {
      register("H2 (file, AUTO_SERVER)", h2, batches);
    }
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        Registry reg = Registry.open(pg.getJdbcUrl("postgres", "postgres"))) {
      register("PostgreSQL 14 (embedded)", reg, batches);
    }
  }

  private static void offline(PromptSpec spec, Path path, int n) {
    OfflineTranscripts w = Fixtures.writer(spec);
    Timeline tl = Timeline.of(spec, 1000);
    List<Scenario> sc = spec.scenarios();
    long chars = 0;
    for (int round = 0; round < 2; round++) {   // the first round warms the JIT up
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        List<Message> m = w.write(sc.get(i % sc.size()), "c" + i, 7);
        chars += m.get(m.size() - 1).text().length();
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        String id = "c" + i;
        List<Message> m = tl.stamp(w.write(sc.get(i % sc.size()), id, 7), i / 1000, i % 1000, 7,
            id);
        chars += m.size();
      }
      long t2 = System.nanoTime();
      ScenarioPlan plan = ScenarioPlan.random(spec, 7, n / 4, 1000);
      for (int b = 0; b < plan.batches(); b++) {
        chars += OfflineBatches.assemble(plan, b, path.toString(), w).size();
      }
      long t3 = System.nanoTime();
      if (round == 1) {
        System.out.printf(Locale.ROOT, "offline %s (%d turns), 1 thread: write %,.0f calls/s;"
            + " write+timestamps %,.0f calls/s; assemble batches (write, timestamps, records,"
            + " rules) %,.0f calls/s%n", spec.language(), spec.turns(), n / sec(t1 - t0),
            n / sec(t2 - t1), (n / 4) / sec(t3 - t2));
      }
    }
    if (chars == 42) {
      System.out.println();   // keeps the work observable
    }
  }

  private static List<WrittenBatch> write(Path root, int batches, int size) throws Exception {
    PromptSpec es = Fixtures.spec(Fixtures.ES);
    ScenarioPlan plan = ScenarioPlan.random(es, 9, batches * size, size);
    OfflineTranscripts w = Fixtures.writer(es);
    BatchWriter writer = new BatchWriter(root);
    List<WrittenBatch> out = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int b = 0; b < plan.batches(); b++) {
      out.add(writer.write(OfflineBatches.assemble(plan, b, Fixtures.ES.toString(), w)));
    }
    System.out.printf(Locale.ROOT, "batch artefacts: %d batches of %d written in %.2f s"
        + " (%,.0f calls/s incl. generation)%n", batches, size, sec(System.nanoTime() - t0),
        batches * size / sec(System.nanoTime() - t0));
    return out;
  }

  private static void register(String db, Registry reg, List<WrittenBatch> batches) {
    reg.registerPrompt(Fixtures.spec(Fixtures.ES), Fixtures.ES);
    long t0 = System.nanoTime();
    int rows = 0;
    for (WrittenBatch b : batches) {
      rows += 1 + reg.registerBatch(b).conversations();
    }
    double s = sec(System.nanoTime() - t0);
    long t1 = System.nanoTime();
    for (WrittenBatch b : batches) {
      reg.registerBatch(b);
    }
    double again = sec(System.nanoTime() - t1);
    long t2 = System.nanoTime();
    int findings = 0;
    for (WrittenBatch b : batches) {
      findings += reg.audit(b.id()).size();
    }
    System.out.printf(Locale.ROOT, "registry %s: %,d rows in %.2f s = %,.0f rows/s (%d batches"
        + " of %d in one transaction each); rerun (no-op) %.2f s; audit %.2f s, %d findings%n",
        db, rows, s, rows / s, batches.size(), batches.get(0).batch().size(), again,
        sec(System.nanoTime() - t2), findings);
  }

  private static double sec(long nanos) {
    return nanos / 1e9;
  }
}
