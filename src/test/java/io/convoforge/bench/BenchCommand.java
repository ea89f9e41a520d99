package io.convoforge.bench;

import io.convoforge.cli.Main;
import io.convoforge.core.run.Job;
import io.convoforge.core.run.OutputDir;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code convoforge bench offline|llm|batch|sandbox|dedup|grounded-qa|csv|scenario}: measured
 * figures with their targets printed beside them; performance is measured here, never asserted
 * in unit tests. {@code offline} runs the offline recipe at scale (pipeline time only, not JVM
 * start-up) with peak heap; {@code llm} drives the LLM DoFns against a local stub; {@code batch}
 * runs batch mode against the stub's batch endpoints ({@link BatchBench}); {@code sandbox}
 * replays conversations in fresh sandbox databases; {@code csv} measures the csv-agent family
 * ({@link CsvBench}); {@code scenario} the call-centre recipe and its registry; {@code cluster}
 * the offline recipe on a local standalone Flink cluster ({@link ClusterBench}).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks. 'bench offline' runs the offline recipe at --count (default"
        + " 10000) and prints conversations/s and peak heap; 'bench sandbox' replays that many"
        + " conversations in fresh sandbox databases and prints conversations replayed/s;"
        + " 'bench llm' measures rate-limit and concurrency adherence against a local stub;"
        + " 'bench batch' runs --llm-mode batch against the stub's batch endpoints (--count"
        + " default 1000) and prints requests per batch file, submit-to-last-result time and"
        + " batch API calls per 1,000 requests;"
        + " 'bench csv' prints the csv-agent sandbox's SQL statements/s and verified episodes/s"
        + " offline with n = 7;"
        + " 'bench scenario' runs the call-centre recipe offline at --count and prints"
        + " conversations/s, then registry rows/s on H2 and PostgreSQL;"
        + " 'bench cluster' runs the offline recipe at --count on a local standalone Flink"
        + " cluster with 1 and 2 TaskManagers and prints wall time and peak memory per"
        + " TaskManager (needs target/convoforge-bundled.jar: mvn -Pdist -DskipTests package).")
public final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "WHAT", defaultValue = "offline",
      description = "offline | llm | batch | sandbox | dedup | grounded-qa | csv | scenario |"
          + " view-export | cluster")
  String what;

  @Option(names = "--count", description = "Elements (default 10000; bench batch 1000).")
  Integer countGiven;

  /** --count, or 10000 when not given. */
  int count;

  @Option(names = "--recipe", defaultValue = "pipelines/crm-tool-use.yaml")
  Path recipe;

  @Option(names = "--part", defaultValue = "both",
      description = "bench llm: rate, concurrency, both, or serve (only run the stub).")
  String part;

  @Option(names = "--rpm", defaultValue = "600",
      description = "bench llm: the --max-rpm of the rate run.")
  int rpm;

  @Option(names = "--rate-seconds", defaultValue = "60",
      description = "bench llm: length of the rate run's measured window.")
  int rateSeconds;

  @Option(names = "--concurrency", defaultValue = "8",
      description = "bench llm: the --max-concurrency of the throughput run.")
  int concurrency;

  @Option(names = "--concurrency-seconds", defaultValue = "15",
      description = "bench llm: approximate length of the throughput run.")
  int concurrencySeconds;

  @Option(names = "--latency-ms", defaultValue = "50",
      description = "bench llm: the stub's latency.")
  int latencyMs;

  @Option(names = "--provider", defaultValue = "openai",
      description = "bench batch: openai, gemini or vertex.")
  String provider;

  @Option(names = "--poll-ms", defaultValue = "50",
      description = "bench batch: the client's first poll after submitting (llm.batch.poll_ms).")
  int pollMs;

  @Option(names = "--polls-to-finish", defaultValue = "3",
      description = "bench batch: the stub finishes a batch on this poll.")
  int pollsToFinish;

  @Option(names = "--sample", defaultValue = "5000",
      description = "bench dedup: conversations for the recall check (0 skips it).")
  int sample;

  @Option(names = "--embed-count", defaultValue = "1000",
      description = "bench dedup: dialogues for the embedding throughput ratio (0 skips it).")
  int embedCount;

  @Option(names = "--lexical-count", defaultValue = "100000",
      description = "bench dedup: synthesised conversations for lexical dedup (0 skips it).")
  int lexicalCount;

  @Option(names = "--model", defaultValue = "all-minilm-l6-v2",
      description = "bench dedup: local embedding model.")
  String model;

  @Option(names = "--set", paramLabel = "key=value",
      description = "bench offline, llm and batch: recipe overrides. By default they run the"
          + " generation stages (sample..filter), the ones that call the backend; e.g. --set stages=[sample,plan,args,utterances,judge,filter,"
          + "repair,enrich] to include more.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--dir", paramLabel = "DIR",
      description = "bench view-export: measure this dataset instead of making --count.")
  Path dir;
  @Option(names = "--per-dataset", defaultValue = "100",
      description = "bench csv: synthetic questions per shipped CSV in the pipeline run (0 skips"
          + " it).")
  int perDataset;

  @Option(names = "--sql-seconds", defaultValue = "5",
      description = "bench csv: length of the sandboxed SQL run (0 skips it).")
  int sqlSeconds;

  @Unmatched List<String> beamArgs = new ArrayList<>();

  /** The stages the offline throughput target is about: generation, without verification. */
  static final String GENERATION_STAGES = "stages=[sample,plan,args,utterances,judge,filter]";

  /** {@code ./convoforge bench ...}: the launcher runs this from the test classes. */
  public static void main(String[] args) {
    CommandLine cl = new CommandLine(new BenchCommand());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> Main.handle(e, cmd.getErr()));
    System.exit(cl.execute(args));
  }

  @Override
  public Integer call() throws Exception {
    count = countGiven == null ? 10000 : countGiven;
    if ("llm".equals(what)) {
      return LlmBench.run(recipe, part, rpm, rateSeconds, concurrency, concurrencySeconds, latencyMs,
          overrides(), beamArgs);
    }
    if ("batch".equals(what)) {
      return BatchBench.run(recipe, countGiven == null ? 1000 : countGiven, provider, pollMs,
          pollsToFinish, overrides(), beamArgs);
    }
    if ("sandbox".equals(what)) {
      return io.convoforge.bench.SandboxBench.run(recipe, count, beamArgs);
    }
    if ("csv".equals(what)) {
      // --recipe defaults to the CRM recipe; this part runs the csv-agent one unless told.
      Path csv = recipe.equals(Path.of("pipelines/crm-tool-use.yaml"))
          ? Path.of("pipelines/csv-agent.yaml") : recipe;
      return CsvBench.run(csv, perDataset, sqlSeconds, sets, beamArgs);
    }
    if ("scenario".equals(what)) {
      return ScenarioBench.run(count, sets, beamArgs);
    }
    if ("dedup".equals(what)) {
      return DedupBench.run(recipe, sample, embedCount, lexicalCount, model, beamArgs);
    }
    if ("cluster".equals(what)) {
      return ClusterBench.run(recipe, count, overrides(), beamArgs);
    }
    if ("grounded-qa".equals(what)) {
      return GroundedQaBench.run(count, sets, beamArgs);
    }
    if ("view-export".equals(what)) {
      return ViewExportBench.run(recipe, count, overrides(), beamArgs, dir);
    }
    if (!"offline".equals(what)) {
      throw new io.convoforge.core.input.InputException("bench " + what, null,
          "unknown benchmark; expected one of [offline, llm, batch, sandbox, dedup,"
              + " grounded-qa, csv, scenario, view-export, cluster]");
    }
    Path out = Files.createTempDirectory("convoforge-bench");
    try {
      // A small warm-up run loads classes and JIT-compiles the hot paths first.
      List<String> overrides = overrides();
      Job.run(new Job.Request(recipe, overrides, Math.min(500, count), out.resolve("warmup"),
          true, beamArgs));
      System.gc();
      resetPeaks();
      Job.Result r = Job.run(new Job.Request(recipe, overrides, count, out.resolve("run"), true,
          beamArgs));
      long peak = peakHeap();
      Map<String, Object> rep = r.report();
      double rate = count / r.pipelineSeconds();
      System.out.printf("bench offline: %d conversations sampled, %s accepted on %d cores,"
              + " runner %s, stages %s%n", count, rep.get("accepted"),
          Runtime.getRuntime().availableProcessors(), rep.get("runner"), rep.get("stages"));
      System.out.printf("  conversations/second: %.0f (target >= 1000; pipeline time %.2f s,"
          + " JVM start-up excluded)%n", rate, r.pipelineSeconds());
      System.out.printf("  peak heap: %.0f MiB (max heap %d MiB)%n", peak / 1048576.0,
          Runtime.getRuntime().maxMemory() / 1048576);
      System.out.printf("  distinct bigram ratio: %s%n",
          ((Map<?, ?>) rep.get("text")).get("distinct_bigram_ratio"));
      return 0;
    } finally {
      OutputDir.delete(out);
    }
  }

  /** The user's --set overrides, after the generation stages unless they name the stages. */
  private List<String> overrides() {
    List<String> overrides = new ArrayList<>();
    if (sets.stream().noneMatch(x -> x.startsWith("stages="))) {
      overrides.add(GENERATION_STAGES);
    }
    overrides.addAll(sets);
    return overrides;
  }

  static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
