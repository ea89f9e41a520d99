package io.convoforge.bench;

import io.convoforge.core.run.Job;
import io.convoforge.core.run.OutputDir;
import io.convoforge.family.csvagent.CsvTable;
import io.convoforge.family.csvagent.Profile;
import io.convoforge.family.csvagent.Question;
import io.convoforge.family.csvagent.QuestionGenerator;
import io.convoforge.family.csvagent.SqlSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench csv}: the csv-agent family's figures, printed, never asserted. (1) Sandboxed SQL
 * statements per second: the canonical SQL of 60 synthetic questions over orders.csv, round-robin
 * on one sandbox connection (every statement through the guard and the timeout watchdog), for
 * {@code seconds}. (2) Verified episodes per second offline with n = 7, through the whole
 * pipeline of the recipe ({@code perDataset} synthetic questions per shipped CSV; pipeline time,
 * after a small warm-up run), with the traces and SQL steps behind them.
 */
final class CsvBench {
  private CsvBench() {}

  static int run(Path recipe, int perDataset, int seconds, List<String> sets,
      List<String> beamArgs) throws Exception {
    if (seconds > 0) {
      statements(seconds);
    }
    if (perDataset > 0) {
      episodes(recipe, perDataset, sets, beamArgs);
    }
    return 0;
  }

  private static void statements(int seconds) {
    CsvTable t = CsvTable.load(Path.of("data/csv/orders.csv"));
    Profile p = Profile.of(t);
    List<String> sqls = QuestionGenerator.synthetic(t, p, 60, 1L).stream().map(Question::sql)
        .toList();
    try (SqlSandbox s = SqlSandbox.open(t, p)) {
      for (int i = 0; i < 300; i++) {
        s.run(sqls.get(i % sqls.size()));
      }
      long n = 0;
      long t0 = System.nanoTime();
      long end = t0 + seconds * 1_000_000_000L;
      while (System.nanoTime() < end) {
        if (!s.run(sqls.get((int) (n % sqls.size()))).ok()) {
          throw new IllegalStateException("a canonical statement failed");
        }
        n++;
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "bench csv: sandboxed SQL: %,d statements in %.1f s ="
          + " %,.0f statements/s (one connection, orders.csv %,d rows, %d distinct canonical"
          + " question statements)%n", n, secs, n / secs, t.rows().size(), sqls.size());
    }
  }

  private static void episodes(Path recipe, int perDataset, List<String> sets,
      List<String> beamArgs) throws Exception {
    Path out = Files.createTempDirectory("convoforge-bench-csv");
    try {
      List<String> warm = new ArrayList<>(List.of("questions.synthetic_per_dataset=3",
          "episodes.n_consistency=7"));
      warm.addAll(sets);
      Job.run(new Job.Request(recipe, warm, null, out.resolve("warmup"), true, beamArgs));
      List<String> o = new ArrayList<>(List.of("questions.synthetic_per_dataset=" + perDataset,
          "episodes.n_consistency=7"));
      o.addAll(sets);
      Job.Result r = Job.run(new Job.Request(recipe, o, null, out.resolve("run"), true,
          beamArgs));
      Map<String, Object> rep = r.report();
      @SuppressWarnings("unchecked")
      Map<String, Object> section = (Map<String, Object>) rep.get("csv_agent");
      @SuppressWarnings("unchecked")
      Map<String, Object> tri = (Map<String, Object>) section.get("triangulation");
      @SuppressWarnings("unchecked")
      Map<String, Object> eps = (Map<String, Object>) section.get("episodes");
      long accepted = ((Number) rep.get("accepted")).longValue();
      long questions = ((Number) tri.get("questions")).longValue();
      double secs = r.pipelineSeconds();
      System.out.printf(Locale.ROOT, "bench csv: episodes offline, n = 7: %d questions"
              + " triangulated (%d traces), %d verified episodes accepted in %.1f s of pipeline ="
              + " %.1f verified episodes/s, %.0f traces/s (mean %.2f SQL steps per kept episode;"
              + " %d cores, runner %s, stages %s)%n", questions, questions * 7, accepted, secs,
          accepted / secs, questions * 7 / secs, ((Number) eps.get("mean_steps")).doubleValue(),
          Runtime.getRuntime().availableProcessors(), rep.get("runner"), rep.get("stages"));
    } finally {
      OutputDir.delete(out);
    }
  }
}
