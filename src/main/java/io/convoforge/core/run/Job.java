package io.convoforge.core.run;

import io.convoforge.core.input.InputException;
import io.convoforge.core.llm.LlmAccounting;
import io.convoforge.core.model.Json;
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
  /** The report key listing the family's sections (printed generically by {@code stats}). */
  public static final String FAMILY_SECTIONS = "family_sections";

  private Job() {}

  /** What to run. {@code beamArgs} are passed to Beam's PipelineOptions untouched. */
  public record Request(
      Path recipe,
      List<String> overrides,
      Integer count,
      Path out,
      boolean overwrite,
      List<String> beamArgs,
      Integer accepted,
      Integer maxCandidates) {
    public Request(Path recipe, List<String> overrides, Integer count, Path out,
        boolean overwrite, List<String> beamArgs) {
      this(recipe, overrides, count, out, overwrite, beamArgs, null, null);
    }
  }

  /** What a run produced. */
  public record Result(Path out, Map<String, Object> report, double pipelineSeconds) {}

  /** The run failed after its inputs were accepted (a bug, or the runner gave up). */
  public static final class RunFailedException extends RuntimeException {
    public RunFailedException(String message, Throwable cause) {
      super(message, cause);
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
    OutputDir out = OutputDir.prepare(req.out(), req.overwrite());
    try {
      Pipeline p = Pipeline.create(options);
      ConvoforgePipeline.Outputs outputs = ConvoforgePipeline.build(p, in, shards(options));
      FileSinks.write(outputs, in.run(), out.staging().toString(), in.recipe().shards());
      Ran ran = execute(p, "the pipeline");
      return complete(in, out, header(in, options), List.of(ran.result()),
          outputs.stageOfTransform(), ran.seconds(), Map.of());
    } catch (RuntimeException e) {
      out.abandon();
      throw e;
    }
  }

  /** Runs a built pipeline to the end; a failure or another end state fails the run. */
  public static Ran execute(Pipeline p, String what) {
    long start = System.nanoTime();
    PipelineResult result;
    PipelineResult.State state;
    try {
      result = p.run();
      state = result.waitUntilFinish();
    } catch (RuntimeException e) {
      throw new RunFailedException(what + " failed: " + rootMessage(e), e);
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
    header.put("runner", options.getRunner().getSimpleName());
    header.put("stages", in.recipe().stages());
    header.put("recipe_file", Path.of(in.recipe().file()).toAbsolutePath().toString());
    return header;
  }

  /**
   * The end of every run that writes a dataset: reads the staged output back into the report
   * (header, core sections, the family's sections, {@code extra} sections, gates, timing, LLM
   * accounting of {@code results}), writes {@code report.json}, refuses a run whose funnel does
   * not prove that nothing was lost, and moves the output into place.
   */
  public static Result complete(Inputs in, OutputDir out, Map<String, Object> header,
      List<PipelineResult> results, Map<String, String> stageOfTransform, double seconds,
      Map<String, Object> extra) {
    try {
      Path dir = out.staging();
      DatasetDir.Records accepted = DatasetDir.records(dir, in.family().codec());
      Map<String, Object> report = report(in, dir, accepted, header);
      report.putAll(extra);
      report.put("gates", Gates.evaluate(in, accepted, report).toMap());
      Map<String, Object> timing = new LinkedHashMap<>();
      timing.put("pipeline_seconds", Math.round(seconds * 1000) / 1000.0);
      timing.put("sampled_per_second",
          Math.round(((Number) report.get("sampled")).longValue() / Math.max(seconds, 1e-9)
              * 10) / 10.0);
      report.put("timing", timing);
      LlmAccounting.addTo(report, results, stageOfTransform);
      for (Path f : DatasetDir.files(dir, Funnel.PREFIX + "*")) {
        Files.delete(f);
      }
      Files.writeString(dir.resolve("report.json"),
          Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
      @SuppressWarnings("unchecked")
      Map<String, Object> invariant = (Map<String, Object>) report.get("invariant");
      if (!Boolean.TRUE.equals(invariant.get("holds"))) {
        throw new RunFailedException("elements were lost: " + invariant, null);
      }
      out.commit();
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
   * The report of the dataset in {@code dir}: {@code header}, the core sections ({@link
   * RunReport}) and the family's, from the files (gates are evaluated on it).
   */
  public static Map<String, Object> report(Inputs in, Path dir, DatasetDir.Records accepted,
      Map<String, Object> header) {
    Map<String, Object> report =
        RunReport.build(dir, header, accepted, in.run().judging(in.context()));
    Map<String, Object> family = in.run().report(accepted, report);
    report.putAll(family);
    // Names the family's sections so that `stats` prints them without knowing the family.
    report.put(FAMILY_SECTIONS, new ArrayList<>(family.keySet()));
    return report;
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
      addDefault(args, "--enforceImmutability", "false");
      addDefault(args, "--enforceEncodability", "false");
      addDefault(args, "--targetParallelism",
          String.valueOf(Runtime.getRuntime().availableProcessors() + (blockingStages + 1) / 2));
    }
    try {
      return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).withValidation()
          .create();
    } catch (IllegalArgumentException e) {
      throw new InputException("command line", null, "a flag is neither a convoforge option nor"
          + " a Beam pipeline option: " + firstLine(e.getMessage()));
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

  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
