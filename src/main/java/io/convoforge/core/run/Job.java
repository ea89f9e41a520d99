package io.convoforge.core.run;

import io.convoforge.core.input.InputException;
import io.convoforge.core.llm.LlmAccounting;
import io.convoforge.core.llm.RunBreaker;
import io.convoforge.core.llm.RunStoppedException;
import io.convoforge.core.model.Json;
import io.convoforge.core.util.RunnerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * One run, as the {@code run} command performs it: load and check the inputs, refuse a non-empty
 * output directory, build the graph, run it on the runner the Beam flags name, and end it with
 * {@link #complete}, the one end-of-run path of every command that writes a dataset ({@code
 * run}, {@code run --accepted}, {@code repair}): report (core and family sections, gates, LLM
 * accounting, timing), the proof that nothing was lost, and the all-or-nothing commit.
 */
public final class Job {
  private Job() {}

  /**
   * What to run. {@code beamArgs} are passed to Beam's PipelineOptions untouched. The output
   * is {@code out}, or {@code location} when given: a URI of any Beam file system ({@code
   * gs://bucket/folder}).
   */
  public record Request(
      Path recipe,
      List<String> overrides,
      Integer count,
      Path out,
      boolean overwrite,
      List<String> beamArgs,
      Integer accepted,
      Integer maxCandidates,
      String location) {
    public Request(Path recipe, List<String> overrides, Integer count, Path out,
        boolean overwrite, List<String> beamArgs) {
      this(recipe, overrides, count, out, overwrite, beamArgs, null, null);
    }

    public Request(Path recipe, List<String> overrides, Integer count, Path out,
        boolean overwrite, List<String> beamArgs, Integer accepted, Integer maxCandidates) {
      this(recipe, overrides, count, out, overwrite, beamArgs, accepted, maxCandidates, null);
    }

    /** The output location: {@code location}, else {@code out}. */
    public String outLocation() {
      return location != null ? location : out.toString();
    }
  }

  /**
   * What a run produced: its report, and where it is ({@code out} for a local directory, null
   * for another file system; {@code location} either way).
   */
  public record Result(Path out, Map<String, Object> report, double pipelineSeconds,
      String location) {
    public Result(Path out, Map<String, Object> report, double pipelineSeconds) {
      this(out, report, pipelineSeconds, out.toString());
    }
  }

  /**
   * The run failed after its inputs were accepted (a bug, or the runner gave up); {@code
   * outputWritten}: the failure came after the output was committed (in the family's {@link
   * io.convoforge.core.family.FamilyRun#committed} step), so the output directory holds it.
   */
  public static final class RunFailedException extends RuntimeException {
    private final boolean outputWritten;

    public RunFailedException(String message, Throwable cause) {
      this(message, cause, false);
    }

    public RunFailedException(String message, Throwable cause, boolean outputWritten) {
      super(message, cause);
      this.outputWritten = outputWritten;
    }

    public boolean outputWritten() {
      return outputWritten;
    }
  }

  /** A finished pipeline: its result (for metrics) and its wall time in seconds. */
  public record Ran(PipelineResult result, double seconds) {}

  public static Result run(Request req) {
    if (req.accepted() != null) {
      return TopUp.run(req);
    }
    Inputs in = Inputs.load(req.recipe(), req.overrides(), req.count());
    PipelineOptions options = options(req.beamArgs(), blockingStages(in));
    OutputDir out = prepare(req, in);
    try {
      Pipeline p = Pipeline.create(options);
      ConvoforgePipeline.Outputs outputs = ConvoforgePipeline.build(p, in, shards(options));
      FileSinks.write(outputs, in.run(), out.stagingLocation(), in.recipe().shards());
      Summaries.write(outputs.accepted(), outputs.rejected(), in.run(), in.context(),
          out.stagingLocation(), null);
      String template = RunnerOptions.string(options, "templateLocation");
      if (template != null) {
        return template(p, template, out);
      }
      Ran ran = execute(p, "the pipeline", in.recipe().stages(), in.run().expectedCount());
      return complete(in, out, header(in, options), List.of(ran.result()),
          outputs.stageOfTransform(), ran.seconds(), Map.of());
    } catch (RuntimeException e) {
      out.abandon();
      throw e;
    }
  }

  /**
   * The output of a request, checked and staged. Beyond a local directory, the family must not
   * act on the committed output itself ({@link io.convoforge.core.family.FamilyRun#committed}
   * takes a local path: scenario-dialogue registers its batch folders).
   */
  static OutputDir prepare(Request req, Inputs in) {
    String location = req.outLocation();
    if (!Locations.isLocal(location) && actsOnCommit(in)) {
      throw new InputException("--out " + location, null, "kind " + in.recipe().kind()
          + " delivers its output from a local directory after the commit; give a local --out"
          + " (a directory every worker shares on a cluster)");
    }
    return OutputDir.prepare(location, req.overwrite());
  }

  private static boolean actsOnCommit(Inputs in) {
    try {
      return in.run().getClass().getMethod("committed", Path.class, Map.class)
          .getDeclaringClass() != io.convoforge.core.family.FamilyRun.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /**
   * {@code --templateLocation}: the runner (Dataflow) writes the job's specification there
   * instead of running it; nothing is written to the output, whose staging place goes.
   */
  private static Result template(Pipeline p, String template, OutputDir out) {
    try {
      p.run();
    } catch (RuntimeException e) {
      throw new RunFailedException("writing the job specification to " + template
          + " failed: " + rootMessage(e), e);
    }
    out.abandon();
    return new Result(null, Map.of("template", template), 0, out.location());
  }

  /** Runs a built pipeline to the end; a failure or another end state fails the run. */
  public static Ran execute(Pipeline p, String what) {
    return execute(p, what, List.of(), null);
  }

  /**
   * As {@link #execute(Pipeline, String)}, reporting {@link Progress} of {@code stages} (funnel
   * order, source first) toward {@code total} source elements (null: unknown) while it runs.
   */
  public static Ran execute(Pipeline p, String what, List<String> stages, Long total) {
    long start = System.nanoTime();
    PipelineResult result;
    PipelineResult.State state;
    RunBreaker.resetAll();
    Progress progress = stages.isEmpty() ? null
        : Progress.start(stages, total, p.getOptions().getRunner().getSimpleName());
    try {
      result = p.run();
      if (progress != null) {
        progress.running(result);
      }
      state = result.waitUntilFinish();
    } catch (RuntimeException e) {
      RunStoppedException stopped = find(e, RunStoppedException.class);
      throw new RunFailedException(stopped != null ? stopped.getMessage()
          : what + " failed: " + rootMessage(e), e);
    } finally {
      if (progress != null) {
        progress.stop();
      }
    }
    if (state != PipelineResult.State.DONE) {
      throw new RunFailedException(what + " ended in state " + state, null);
    }
    return new Ran(result, (System.nanoTime() - start) / 1e9);
  }

  /** The report's header: what ran, how, on which runner. */
  public static Map<String, Object> header(Inputs in, PipelineOptions options) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("recipe", in.recipe().name());
    header.put("kind", in.recipe().kind());
    header.put("run_id", in.context().runId());
    header.put("seed", in.context().seed());
    header.put("backend", in.context().backend().name());
    if (!in.context().backend().offline() && in.recipe().section("llm").get("model") != null) {
      header.put("model", String.valueOf(in.recipe().section("llm").get("model")));
    }
    header.put("runner", options.getRunner().getSimpleName());
    header.put("stages", in.recipe().stages());
    header.put("recipe_file", Path.of(in.recipe().file()).toAbsolutePath().toString());
    return header;
  }

  /**
   * The end of every run that writes a dataset: assembles the report from what the pipeline
   * computed (the funnel and the summaries in the staged output; no record is read here):
   * header, core sections, the family's sections, {@code extra} sections, gates, timing, LLM
   * accounting of {@code results}; writes {@code report.json}, refuses a run whose funnel does
   * not prove that nothing was lost, moves the output into place, and then lets the family act
   * on the committed output ({@link io.convoforge.core.family.FamilyRun#committed}).
   */
  public static Result complete(Inputs in, OutputDir out, Map<String, Object> header,
      List<PipelineResult> results, Map<String, String> stageOfTransform, double seconds,
      Map<String, Object> extra) {
    try {
      String dir = out.stagingLocation();
      Map<String, Object> report = report(in, Funnel.read(dir), Summaries.read(dir), header);
      report.putAll(extra);
      report.put("gates", Gates.evaluate(in, report).toMap());
      Map<String, Object> timing = new LinkedHashMap<>();
      timing.put("pipeline_seconds", Math.round(seconds * 1000) / 1000.0);
      timing.put("finished_at", java.time.Instant.now().truncatedTo(
          java.time.temporal.ChronoUnit.SECONDS).toString());
      timing.put("sampled_per_second",
          Math.round(((Number) report.get("sampled")).longValue() / Math.max(seconds, 1e-9)
              * 10) / 10.0);
      report.put("timing", timing);
      LlmAccounting.addTo(report, results, stageOfTransform);
      for (String prefix : List.of(Funnel.PREFIX, Summaries.PREFIX)) {
        Locations.delete(Locations.match(Locations.resolve(dir, prefix + "*")));
      }
      Locations.write(Locations.resolve(dir, "report.json"),
          Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
      @SuppressWarnings("unchecked")
      Map<String, Object> invariant = (Map<String, Object>) report.get("invariant");
      if (!Boolean.TRUE.equals(invariant.get("holds"))) {
        throw new RunFailedException("elements were lost: " + invariant, null);
      }
      out.commit();
      if (!out.isLocal()) {
        return new Result(null, report, seconds, out.location());
      }
      try {
        in.run().committed(out.target(), report);
      } catch (RuntimeException e) {
        throw new RunFailedException("the dataset was written to " + out.target() + ", then "
            + (e.getMessage() == null ? rootMessage(e) : e.getMessage()), e, true);
      }
      return new Result(out.target(), report, seconds);
    } catch (IOException e) {
      out.abandon();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      out.abandon();
      throw e;
    }
  }

  /**
   * A report: {@code header}, the core sections ({@link RunReport}) from the funnel counts and
   * the summary parts, and the family's sections (gates are evaluated on it).
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> report(Inputs in, Map<String, Long> funnel,
      Map<String, Object> parts, Map<String, Object> header) {
    Map<String, Object> report = RunReport.build(header, funnel, parts);
    report.putAll(in.run().report((Map<String, Object>) parts.getOrDefault(Summaries.FAMILY,
        Map.of()), report));
    return report;
  }

  /**
   * The report of an existing dataset (its accepted and rejected files), computed by a
   * pipeline of {@link Summaries#over}, with {@code header}; for {@code gates DIR}. On a
   * cluster the workers write the summary parts beside the dataset (a directory they already
   * read, so one they share), not into the launcher's temporary directory, which other
   * machines do not see.
   */
  public static Map<String, Object> report(Inputs in, Path dir, List<String> beamArgs,
      Map<String, Object> header) {
    Path tmp = null;
    try {
      PipelineOptions options = options(beamArgs);
      tmp = RunnerOptions.isDirect(options) ? Files.createTempDirectory("convoforge-summary")
          : Files.createTempDirectory(dir.toAbsolutePath(), "_summary-");
      execute(Summaries.over(dir, in, options, tmp), "summarizing " + dir);
      return report(in, Map.of(), Summaries.read(tmp), header);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (tmp != null) {
        OutputDir.delete(tmp);
      }
    }
  }

  /**
   * Beam options from the pass-through flags. On the DirectRunner the per-element immutability
   * and encodability checks (meant for tests) are off unless asked for, and parallelism follows
   * the cores.
   */
  public static PipelineOptions options(List<String> beamArgs) {
    return options(beamArgs, 0);
  }

  /**
   * As {@link #options(List)}, for a pipeline with {@code blockingStages} stages whose bundles
   * mostly wait on a remote backend. The DirectRunner's pool of {@code targetParallelism}
   * threads also runs its scheduling loop, so with one thread per core a bundle that waits on
   * the network leaves little for the rest: half the blocking stages get a thread on top of
   * those, enough to keep the in-flight cap full while the CPU-bound stages run (measured with
   * {@code bench llm}: 0.54 of C / latency with none extra on the full CRM recipe, 0.95 with
   * two extra for its four LLM stages, 0.91 with four, more CPU stages then competing).
   */
  public static PipelineOptions options(List<String> beamArgs, int blockingStages) {
    List<String> args = new ArrayList<>(beamArgs);
    boolean direct = args.stream().noneMatch(a -> a.startsWith("--runner="))
        || args.contains("--runner=DirectRunner");
    if (direct) {
      // run() returns at once, so progress can poll the running pipeline's metrics.
      addDefault(args, "--blockOnRun", "false");
      addDefault(args, "--enforceImmutability", "false");
      addDefault(args, "--enforceEncodability", "false");
      addDefault(args, "--targetParallelism",
          String.valueOf(Runtime.getRuntime().availableProcessors() + (blockingStages + 1) / 2));
    }
    checkFilesToStage(args);
    PipelineOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).withValidation()
          .create();
    } catch (IllegalArgumentException e) {
      throw new InputException("command line", null, "a flag is neither a convoforge option nor"
          + " a Beam pipeline option: " + firstLine(e.getMessage()));
    }
    // The launcher reads and writes the output through the same file systems as the pipeline.
    FileSystems.setDefaultPipelineOptions(options);
    return options;
  }

  /** Files named by --filesToStage must exist (the bundled jar is built, not downloaded). */
  private static void checkFilesToStage(List<String> args) {
    for (String a : args) {
      if (a.startsWith("--filesToStage=")) {
        for (String f : a.substring("--filesToStage=".length()).split(",")) {
          String file = f.contains("=") ? f.substring(f.indexOf('=') + 1) : f;
          if (!file.isBlank() && !file.contains("://") && !Files.exists(Path.of(file.trim()))) {
            throw new InputException("--filesToStage", null, file.trim() + " does not exist;"
                + " the bundled jar is built with: mvn -Pdist -DskipTests package");
          }
        }
      }
    }
  }

  /** The recipe's stages that call the model of a remote backend (none offline). */
  static int blockingStages(Inputs in) {
    if (in.context().backend().batching() == null) {
      return 0;
    }
    return (int) in.recipe().stages().stream()
        .filter(s -> StageRegistry.callsModel(s, in.run())).count();
  }

  /**
   * Key shards after the source: on the DirectRunner a few large bundles (it pays per bundle);
   * on other runners enough keys for every slot.
   */
  public static int shards(PipelineOptions options) {
    if ("DirectRunner".equals(options.getRunner().getSimpleName())) {
      return 2 * Runtime.getRuntime().availableProcessors();
    }
    return DEFAULT_SHARDS;
  }

  /** Source shards on a cluster runner: the parallelism available downstream of the source. */
  public static final int DEFAULT_SHARDS = 64;

  private static void addDefault(List<String> args, String flag, String value) {
    if (args.stream().noneMatch(a -> a.equals(flag) || a.startsWith(flag + "="))) {
      args.add(flag + "=" + value);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** The first {@code type} in the cause chain of {@code e}, or null. */
  static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
