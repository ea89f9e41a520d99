package io.convoforge.bench;

import io.convoforge.core.run.Job;
import io.convoforge.core.run.OutputDir;
import io.convoforge.family.scenario.Fixtures;
import io.convoforge.family.scenario.Timeline;
import io.convoforge.family.scenario.batch.BatchFolder;
import io.convoforge.family.scenario.batch.BatchWriter;
import io.convoforge.family.scenario.batch.WrittenBatch;
import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.offline.OfflineTranscripts;
import io.convoforge.family.scenario.registry.Registry;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bench scenario}: the scenario-dialogue figures, printed, never asserted. (1) Offline
 * generation through the whole pipeline of {@code pipelines/call-centre-es.yaml} (sample,
 * generate, timestamps, judge, filter, and the sinks: jsonl, batch folders, messages.csv),
 * conversations per second of pipeline time, JVM start and a warm-up run excluded; the
 * delivery after the commit is off here ({@code registry=none}) and measured apart. (2) The
 * offline writer alone on one thread. (3) Registry registration of the run's batches, rows per
 * second (one prompt, then each batch and its conversations in one transaction), on the
 * embedded H2 file and on PostgreSQL 14 (embedded server), with the audit's time.
 */
final class ScenarioBench {
  private static final Path RECIPE = Path.of("pipelines/call-centre-es.yaml");

  private ScenarioBench() {}

  static int run(int count, List<String> sets, List<String> beamArgs) throws Exception {
    Path tmp = Files.createTempDirectory("convoforge-bench-scenario");
    try {
      List<String> overrides = new ArrayList<>(List.of("backend=offline", "registry=none"));
      overrides.addAll(sets);
      Job.run(new Job.Request(RECIPE, overrides, Math.min(500, count), tmp.resolve("warmup"),
          true, beamArgs));
      System.gc();
      long cpu0 = cpuNanos();
      long t0 = System.nanoTime();
      Job.Result r = Job.run(new Job.Request(RECIPE, overrides, count, tmp.resolve("run"), true,
          beamArgs));
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = (cpuNanos() - cpu0) / 1e9;
      Map<String, Object> rep = r.report();
      System.out.printf(Locale.ROOT, "bench scenario: %d conversations sampled, %s accepted on %d"
              + " cores, runner %s, stages %s%n", count, rep.get("accepted"),
          Runtime.getRuntime().availableProcessors(), rep.get("runner"), rep.get("stages"));
      System.out.printf(Locale.ROOT, "  offline generation: %,.0f conversations/s (target >= 1000;"
          + " pipeline %.2f s incl. batch folders and messages.csv, JVM start-up excluded);"
          + " %,.0f/s with the report and the commit (%.2f s)%n", count / r.pipelineSeconds(),
          r.pipelineSeconds(), count / wall, wall);
      int cores = Runtime.getRuntime().availableProcessors();
      System.out.printf(Locale.ROOT, "  CPU: %.1f s of process CPU for the run = %,.0f"
          + " conversations per CPU-second, so %,.0f/s on %d cores of its own (the wall figure"
          + " above is lower when other processes share them: load average %.1f)%n", cpu,
          count / cpu, cores * count / cpu, cores,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      writerAlone();
      List<WrittenBatch> batches = new ArrayList<>();
      try (Stream<Path> s = Files.list(r.out().resolve(BatchWriter.BATCHES))) {
        for (Path dir : s.sorted().toList()) {
          batches.add(BatchFolder.read(dir));
        }
      }
      PromptSpec spec = Fixtures.spec(Fixtures.ES);
      try (Registry h2 = Registry.open(Registry.defaultUrl(tmp.resolve("registry")))) {
        register("H2 2.x (embedded file, AUTO_SERVER)", h2, spec, batches);
      }
      try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
          Registry reg = Registry.open(pg.getJdbcUrl("postgres", "postgres"))) {
        register("PostgreSQL 14 (embedded server)", reg, spec, batches);
      }
      return 0;
    } finally {
      OutputDir.delete(tmp);
    }
  }

  /** CPU time of the whole process (every thread, the JIT and the collector included). */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** The offline writer alone, one thread, after a warm-up round. */
  private static void writerAlone() {
    PromptSpec spec = Fixtures.spec(Fixtures.ES);
    OfflineTranscripts w = Fixtures.writer(spec);
    Timeline tl = Timeline.of(spec, 1000);
    List<Scenario> sc = spec.scenarios();
    int n = 100_000;
    long chars = 0;
    double rate = 0;
    for (int round = 0; round < 2; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        String id = "c" + i;
        List<Message> m = tl.stamp(w.write(sc.get(i % sc.size()), id, 7), i / 1000, i % 1000, 7,
            id);
        chars += m.get(m.size() - 1).text().length();
      }
      rate = n / ((System.nanoTime() - t0) / 1e9);
    }
    System.out.printf(Locale.ROOT, "  offline writer alone (write + timestamps, 1 thread):"
        + " %,.0f calls/s (%d chars)%n", rate, chars % 10);
  }

  private static void register(String db, Registry reg, PromptSpec spec,
      List<WrittenBatch> batches) {
    reg.registerPrompt(spec, Fixtures.ES);
    long t0 = System.nanoTime();
    int rows = 1;
    for (WrittenBatch b : batches) {
      rows += 1 + reg.registerBatch(b).conversations();
    }
    double s = (System.nanoTime() - t0) / 1e9;
    long t1 = System.nanoTime();
    for (WrittenBatch b : batches) {
      reg.registerBatch(b);
    }
    double again = (System.nanoTime() - t1) / 1e9;
    long t2 = System.nanoTime();
    int findings = 0;
    for (WrittenBatch b : batches) {
      findings += reg.audit(b.id()).size();
    }
    System.out.printf(Locale.ROOT, "  registry %s: %,d rows in %.2f s = %,.0f rows/s (%d"
        + " batches, one transaction each); rerun (no-op) %.2f s; audit %.2f s, %d findings%n",
        db, rows, s, rows / s, batches.size(), again, (System.nanoTime() - t2) / 1e9, findings);
  }
}
