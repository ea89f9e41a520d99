package io.convoforge.family.scenario.registry;

import io.convoforge.family.scenario.Fixtures;
import io.convoforge.family.scenario.ScenarioPlan;
import io.convoforge.family.scenario.batch.WrittenBatch;
import io.convoforge.family.scenario.spec.PromptSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One "run" of the two-processes test, in its own JVM: opens the registry, prints {@code ready},
 * waits for a line on stdin (the test sends it to both runs at once), then for
 * each job {@code spec:seed:count:batchSize[:reverse]} registers the prompt and writes and registers every
 * batch (last first with {@code reverse}, so that two runs of one job meet in the middle) into
 * the shared output root and registry. Exits non-zero on any failure.
 *
 * <p>Arguments: {@code ROOT JDBC_URL JOB...}. Opening first matters: two JVMs opening a fresh
 * H2 AUTO_SERVER file at the same instant make one wait about 5 s for the file lock, which would
 * keep the runs from overlapping.
 */
public final class ConcurrentRunMain {
  private ConcurrentRunMain() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    int batches = 0;
    int inserted = 0;
    try (Registry registry = Registry.open(args[1])) {
      System.out.println("ready");
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      long start = System.currentTimeMillis();
      for (int j = 2; j < args.length; j++) {
        String[] job = args[j].split(":");
        Path specPath = Path.of(job[0]);
        PromptSpec spec = PromptSpec.read(specPath);
        ScenarioPlan plan = ScenarioPlan.random(spec, Long.parseLong(job[1]),
            Integer.parseInt(job[2]), Integer.parseInt(job[3]));
        registry.registerPrompt(spec, specPath);
        boolean reverse = job.length > 4 && job[4].equals("reverse");
        for (int i = 0; i < plan.batches(); i++) {
          int b = reverse ? plan.batches() - 1 - i : i;
          WrittenBatch w = Fixtures.writeBatch(root, plan, b, specPath);
          boolean ins = registry.registerBatch(w).inserted();
          inserted += ins ? 1 : 0;
          System.out.println((System.currentTimeMillis() - start) + " ms " + w.id() + " written "
              + w.written() + ", registered " + ins);
          batches++;
        }
      }
    }
    System.out.println("batches " + batches + ", registered here " + inserted);
  }
}
