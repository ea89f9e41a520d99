package io.convoforge.bench;

import io.convoforge.cluster.ClusterTesting;
import io.convoforge.cluster.LocalFlinkCluster;
import io.convoforge.core.input.InputException;
import io.convoforge.core.run.Job;
import io.convoforge.core.run.OutputDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code convoforge bench cluster}: the offline CRM recipe at {@code --count} (default 10,000) on
 * a local standalone Flink cluster (this project's dependencies, one JVM per process, each
 * TaskManager of Flink's default 1728m with one slot) with 1 and then 2 TaskManagers, submitted
 * with the bundled jar as {@code conf/flink-cluster.yaml} does. Prints per cluster size the
 * pipeline's wall time (submission to end, JVM start-up of the cluster excluded), conversations
 * per second, and each TaskManager's peak resident memory (VmHWM in /proc, the whole JVM:
 * heap, metaspace, network buffers, native libraries) after a warm-up job of 500.
 */
final class ClusterBench {
  private ClusterBench() {}

  static int run(Path recipe, int count, List<String> overrides, List<String> beamArgs)
      throws IOException {
    if (!Files.isRegularFile(ClusterTesting.BUNDLED_JAR)) {
      throw new InputException("bench cluster", null, ClusterTesting.BUNDLED_JAR + " is missing;"
          + " build it first: mvn -B -ntp -Pdist -DskipTests package");
    }
    Path work = Files.createTempDirectory("convoforge-bench-cluster");
    try {
      System.out.printf("bench cluster: %d conversations of %s (stages %s), %d cores%n", count,
          recipe, overrides, Runtime.getRuntime().availableProcessors());
      for (int tms : new int[] {1, 2}) {
        try (LocalFlinkCluster c = ClusterTesting.start(work.resolve("cluster-" + tms), tms)) {
          List<String> args = new ArrayList<>(beamArgs);
          // What conf/flink-cluster.yaml sets, with this cluster's master and size.
          args.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=" + c.master(),
              "--parallelism=" + tms,
              "--filesToStage=" + ClusterTesting.BUNDLED_JAR.toAbsolutePath()));
          Job.run(new Job.Request(recipe, overrides, Math.min(500, count),
              work.resolve("warmup-" + tms), true, args));
          long start = System.nanoTime();
          Job.Result r = Job.run(new Job.Request(recipe, overrides, count,
              work.resolve("run-" + tms), true, args));
          double wall = (System.nanoTime() - start) / 1e9;
          Map<String, Object> rep = r.report();
          StringBuilder peaks = new StringBuilder();
          for (long pid : c.taskManagerPids()) {
            peaks.append(String.format(" %.0f MiB", peakRssKiB(pid) / 1024.0));
          }
          System.out.printf("  %d TaskManager%s (parallelism %d): %s accepted of %d; wall %.1f s"
                  + " (pipeline %.1f s), %.0f conversations/s; peak RSS per TaskManager:%s%n",
              tms, tms == 1 ? "" : "s", tms, rep.get("accepted"), count, wall,
              r.pipelineSeconds(), count / r.pipelineSeconds(), peaks);
        }
      }
      return 0;
    } finally {
      OutputDir.delete(work);
    }
  }

  /** Peak resident set size of a process in KiB (VmHWM), or -1 where /proc cannot say. */
  static long peakRssKiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
