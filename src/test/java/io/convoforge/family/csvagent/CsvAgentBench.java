package io.convoforge.family.csvagent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Throughput of the offline csv-agent path, single-threaded: sandboxed SQL statements per second
 * (the questions' canonical SQL, round-robin, one connection) and verified episodes per second
 * with n = 7 scripted traces per question (one connection per trace to a database loaded once
 * per CSV; and, for comparison, a private database loaded per trace). Run from the repository
 * root: {@code java -cp target/classes:target/test-classes:$(cat target/runtime-classpath.txt)
 * io.convoforge.family.csvagent.CsvAgentBench [questionsPerCsv] [seconds] [wrongRate]}.
 */
public final class CsvAgentBench {
  private static final List<String> SHIPPED =
      List.of("orders.csv", "bike_trips.csv", "clinic_appointments.csv");

  private CsvAgentBench() {}

  public static void main(String[] args) {
    int perCsv = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
    ScriptedSolver solver = ScriptedSolver.create();
    if (args.length > 2) {
      solver = solver.withWrongRate(Double.parseDouble(args[2]));
    }
    statements(seconds);
    episodes(solver, perCsv, true);
    if (seconds > 0) {
      episodes(solver, perCsv, false);
    }
  }

  private static void statements(double seconds) {
    CsvTable t = CsvTable.load(Path.of("data/csv/orders.csv"));
    Profile p = Profile.of(t);
    List<String> sqls = QuestionGenerator.synthetic(t, p, 60, 1L).stream()
        .map(Question::sql).toList();
    try (SqlSandbox s = SqlSandbox.open(t, p)) {
      for (int i = 0; i < 200; i++) {
        s.run(sqls.get(i % sqls.size()));
      }
      if (seconds <= 0) {
        return;
      }
      long n = 0;
      long t0 = System.nanoTime();
      long end = t0 + (long) (seconds * 1e9);
      while (System.nanoTime() < end) {
        if (!s.run(sqls.get((int) (n % sqls.size()))).ok()) {
          throw new IllegalStateException("bench SQL failed");
        }
        n++;
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "sandboxed SQL: %d statements in %.1f s = %.0f statements/s"
          + " (orders.csv, 1,500 rows, canonical question SQL)%n", n, secs, n / secs);
    }
  }

  private static void episodes(ScriptedSolver solver, int perCsv, boolean shared) {
    Triangulation tri = Triangulation.of(0.1, 0.6);
    List<Question> all = new ArrayList<>();
    int verified = 0;
    int traces = 0;
    long steps = 0;
    long t0 = System.nanoTime();
    for (String name : SHIPPED) {
      CsvTable t = CsvTable.load(Path.of("data/csv", name));
      Profile p = Profile.of(t);
      List<Question> qs = QuestionGenerator.synthetic(t, p, perCsv, 1L);
      all.addAll(qs);
      try (SqlDatabase db = shared ? SqlDatabase.load(t, p, SqlSandbox.Limits.defaults())
          : null) {
        for (Question q : qs) {
          List<Episode> es = new ArrayList<>();
          for (int i = 0; i < 7; i++) {
            try (SqlSandbox s = shared ? db.connect() : SqlSandbox.open(t, p)) {
              es.add(solver.solve(q, p, s, 1L, i));
            }
          }
          Triangulation.Outcome o = tri.judge(q, es);
          verified += o.kept() != null ? 1 : 0;
          traces += es.size();
          steps += es.stream().mapToInt(e -> e.trace().size()).sum();
        }
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "episodes (%s): %d questions, %d traces (%d SQL steps), %d"
        + " verified in %.1f s = %.1f verified episodes/s, %.0f traces/s (n = 7, questions"
        + " generated inside the timing)%n", shared ? "database per CSV, connection per trace"
        : "database per trace", all.size(), traces, steps, verified, secs, verified / secs,
        traces / secs);
  }
}
