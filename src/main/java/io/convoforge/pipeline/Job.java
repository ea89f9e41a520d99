package io.convoforge.pipeline;

import io.convoforge.backend.Backends;
import io.convoforge.backend.GeneratorFactory;
import io.convoforge.model.Json;
import io.convoforge.schema.InputException;
import io.convoforge.stages.SampleTasks;
import io.convoforge.stages.StageContext;
import io.convoforge.stages.StageRegistry;
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
 * output directory, build the graph, run it on the runner the Beam flags name, write the report
 * and move everything into place.
 */
public final class Job {
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

  public static Result run(Request req) {
    if (req.accepted() != null) {
      return TopUp.run(req);
    }
    Inputs inputs = Inputs.load(req.recipe(), req.overrides(), req.count());
    GeneratorFactory backend =
        Backends.create(inputs.recipe().backend(), inputs.recipe().section("llm"));
    PipelineOptions options = options(req.beamArgs(), blockingStages(inputs.recipe(), backend));
    OutputDir out = OutputDir.prepare(req.out(), req.overwrite());
    try {
      StageContext ctx = new StageContext(inputs.recipe(), inputs.schema(), inputs.tasks(),
          inputs.phrases(), backend, inputs.runId(), inputs.seed());
      Pipeline p = Pipeline.create(options);
      FileSinks.write(ConvoforgePipeline.build(p, ctx, inputs.strata(), shards(options)),
          out.staging().toString(), inputs.recipe().shards());
      long start = System.nanoTime();
      PipelineResult.State state;
      PipelineResult pipelineResult = null;
      try {
        pipelineResult = p.run();
        state = pipelineResult.waitUntilFinish();
      } catch (RuntimeException e) {
        throw new RunFailedException("the pipeline failed: " + rootMessage(e), e);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (state != PipelineResult.State.DONE) {
        throw new RunFailedException("the pipeline ended in state " + state, null);
      }
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("recipe", inputs.recipe().name());
      header.put("run_id", inputs.runId());
      header.put("seed", inputs.seed());
      header.put("backend", backend.name());
      header.put("runner", options.getRunner().getSimpleName());
      header.put("stages", inputs.recipe().stages());
      header.put("recipe_file", Path.of(inputs.recipe().file()).toAbsolutePath().toString());
      Map<String, Object> report = RunReport.build(out.staging(), header);
      report.put("repair", io.convoforge.verify.RepairReport.build(out.staging()));
      report.put("gates", io.convoforge.verify.Gates.evaluate(out.staging(), inputs).toMap());
      Map<String, Object> timing = new LinkedHashMap<>();
      timing.put("pipeline_seconds", Math.round(seconds * 1000) / 1000.0);
      timing.put("conversations_per_second",
          Math.round(inputs.sampleCount() / Math.max(seconds, 1e-9) * 10) / 10.0);
      report.put("timing", timing);
      io.convoforge.backend.llm.LlmAccounting.addTo(report, pipelineResult);
      return complete(out, report, seconds);
    } catch (IOException e) {
      out.abandon();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      out.abandon();
      throw e;
    }
  }

  /**
   * The end of every run that writes a dataset ({@code run}, {@code run --accepted},
   * {@code repair}): drops the sampled-count files, writes {@code report.json}, refuses a run
   * whose report does not prove that nothing was lost, and moves the output into place.
   */
  public static Result complete(OutputDir out, Map<String, Object> report, double seconds)
      throws IOException {
    for (Path f : RunReport.files(out.staging(), FileSinks.SAMPLED_PREFIX + "*")) {
      Files.delete(f);
    }
    Files.writeString(out.staging().resolve("report.json"),
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
    @SuppressWarnings("unchecked")
    Map<String, Object> invariant = (Map<String, Object>) report.get("invariant");
    if (!Boolean.TRUE.equals(invariant.get("holds"))) {
      throw new RunFailedException("elements were lost: " + invariant, null);
    }
    out.commit();
    return new Result(out.target(), report, seconds);
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

  /** The recipe's stages that call {@code backend} remotely, in batches (none offline). */
  static int blockingStages(io.convoforge.recipe.Recipe recipe, GeneratorFactory backend) {
    if (backend.batching() == null) {
      return 0;
    }
    return (int) recipe.stages().stream().filter(StageRegistry::callsBackend).count();
  }

  /**
   * Key shards after sampling: on the DirectRunner a few large bundles (it pays per bundle); on
   * other runners enough keys for every slot.
   */
  public static int shards(PipelineOptions options) {
    if ("DirectRunner".equals(options.getRunner().getSimpleName())) {
      return 2 * Runtime.getRuntime().availableProcessors();
    }
    return SampleTasks.DEFAULT_SHARDS;
  }

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
