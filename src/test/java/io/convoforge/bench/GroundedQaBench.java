package io.convoforge.bench;

import io.convoforge.core.run.Job;
import io.convoforge.core.run.OutputDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code convoforge bench grounded-qa}: the grounded Q&A recipe offline, stages chunk to filter,
 * with as many dialogues per pair as make about {@code --count} dialogues; prints dialogues per
 * second over the pipeline's run (JVM start-up and a warm-up run excluded) and peak heap.
 */
final class GroundedQaBench {
  static final Path RECIPE = Path.of("pipelines/grounded-qa.yaml");
  static final String STAGES =
      "stages=[chunk, extract_qa, validate_qa, converse, judge, filter]";

  private GroundedQaBench() {}

  static int run(int count, List<String> sets, List<String> beamArgs) throws Exception {
    Path out = Files.createTempDirectory("convoforge-bench-qa");
    try {
      Job.Result probe = run(out.resolve("probe"), 1, sets, beamArgs);
      long pairs = ((Number) ((Map<?, ?>) probe.report().get("grounded_qa"))
          .get("pairs_passed")).longValue();
      int perPair = (int) Math.max(1, Math.ceil(count / (double) Math.max(1, pairs)));
      BenchCommand.resetPeaks();
      Job.Result r = run(out.resolve("run"), perPair, sets, beamArgs);
      long peak = BenchCommand.peakHeap();
      long dialogues = ((Number) r.report().get("accepted")).longValue();
      System.out.printf("bench grounded-qa: %d passed pairs x %d dialogues each = %d dialogues"
              + " accepted on %d cores, runner %s%n", pairs, perPair, dialogues,
          Runtime.getRuntime().availableProcessors(), r.report().get("runner"));
      System.out.printf("  dialogues/second: %.0f (target >= 1000; chunk..filter, pipeline time"
          + " %.2f s, JVM start-up excluded)%n", dialogues / r.pipelineSeconds(),
          r.pipelineSeconds());
      System.out.printf("  peak heap: %.0f MiB%n", peak / 1048576.0);
      return 0;
    } finally {
      OutputDir.delete(out);
    }
  }

  private static Job.Result run(Path out, int perPair, List<String> sets,
      List<String> beamArgs) {
    List<String> o = new ArrayList<>(List.of(STAGES, "conversations_per_qa=" + perPair));
    o.addAll(sets);
    return Job.run(new Job.Request(RECIPE, o, null, out, true, beamArgs));
  }
}
