package io.convoforge.cli;

import io.convoforge.core.family.Families;
import io.convoforge.core.family.RecipeFamily;
import io.convoforge.core.model.Json;
import io.convoforge.core.recipe.RecipeLoader;
import io.convoforge.core.run.Job;
import io.convoforge.core.run.Locations;
import io.convoforge.core.run.Progress;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** {@code convoforge run RECIPE.yaml [...]}: runs a recipe and writes a dataset. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a recipe and writes conversations*.jsonl, rejected*.jsonl and report.json.",
      "Any other --flag=value is passed to Beam's PipelineOptions, e.g. "
          + "--runner=FlinkRunner --flinkMaster=[local] --parallelism=2."
    })
public final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RECIPE.yaml", description = "The recipe file.")
  Path recipe;

  @Option(names = "--count", description = "Elements to sample (default: the recipe's).")
  Integer count;

  @Option(names = "--seed", description = "Run seed (default: the recipe's).")
  Long seed;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output directory, local or on any Beam file system (gs://bucket/folder);"
          + " default: runs/<recipe>-<timestamp>.")
  String out;

  @Option(names = "--backend", description = "offline, an LLM backend (openai, gemini, vertex),"
      + " or auto (an LLM backend whose API key is present, else offline); default: the"
      + " recipe's.")
  String backend;

  @Option(names = "--set", paramLabel = "key=value",
      description = "Override a recipe key; dotted keys reach into sections (turns.max=8).")
  List<String> sets = new ArrayList<>();

  @Option(names = "--overwrite", description = "Replace a non-empty --out directory.")
  boolean overwrite;

  @Option(names = "--model", description = "LLM model (llm.model).")
  String model;

  @Option(names = "--base-url", paramLabel = "URL",
      description = "OpenAI-compatible or generateContent endpoint (llm.base_url).")
  String baseUrl;

  @Option(names = "--max-rpm", description = "Requests per minute, whole run (llm.max_rpm).")
  Double maxRpm;

  @Option(names = "--max-tpm", description = "Tokens per minute, whole run (llm.max_tpm).")
  Double maxTpm;

  @Option(names = "--max-concurrency", description = "LLM calls in flight (llm.max_concurrency).")
  Integer maxConcurrency;

  @Option(names = "--llm-mode", paramLabel = "MODE",
      description = "online (default) or batch: the provider's batch API, about half the price,"
          + " answers within 24 h (llm.mode).")
  String llmMode;

  @Option(names = "--cache", paramLabel = "DIR",
      description = "LLM response cache (llm.cache; default .convoforge/cache; 'off').")
  String cache;

  @Option(names = "--conf", paramLabel = "PROFILE.yaml",
      description = "A runner profile (conf/*.yaml): its keys become Beam flags, unless given"
          + " on the command line too.")
  Path conf;

  @Option(names = "--accepted", paramLabel = "N",
      description = "Sample in rounds until exactly N conversations pass every stage"
          + " (instead of --count), or the candidate budget is spent.")
  Integer accepted;

  @Option(names = "--max-candidates", paramLabel = "M",
      description = "Candidate budget of --accepted: at most M elements sampled (default 5 x N).")
  Integer maxCandidates;

  @Option(names = "--trial",
      description = "A small run of the recipe (its family says how small) that prints the"
          + " funnel and the pass rate of every judge criterion and rejection reason.")
  boolean trial;

  @Option(names = "--quiet", description = "Print nothing but errors: no live progress, no"
      + " summary.")
  boolean quiet;

  @Unmatched List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() {
    if (conf != null) {
      beamArgs = RunnerProfile.merge(conf, beamArgs);
    }
    List<String> overrides = new ArrayList<>(sets);
    if (seed != null) {
      overrides.add("seed=" + seed);
    }
    if (backend != null) {
      overrides.add("backend=" + backend);
    }
    // LLM flags are --set overrides, so the recipe and the command line share one code path.
    if (model != null) {
      overrides.add("llm.model=" + yamlString(model));
    }
    if (baseUrl != null) {
      overrides.add("llm.base_url=" + yamlString(baseUrl));
    }
    if (maxRpm != null) {
      overrides.add("llm.max_rpm=" + maxRpm);
    }
    if (maxTpm != null) {
      overrides.add("llm.max_tpm=" + maxTpm);
    }
    if (maxConcurrency != null) {
      overrides.add("llm.max_concurrency=" + maxConcurrency);
    }
    if (cache != null) {
      overrides.add("llm.cache=" + yamlString(cache));
    }
    if (llmMode != null) {
      overrides.add("llm.mode=" + yamlString(llmMode));
    }
    for (String a : beamArgs) {
      if (!a.startsWith("--")) {
        throw new io.convoforge.core.input.InputException("command line", null,
            "unexpected argument '" + a + "'; Beam flags are written --name=value");
      }
    }
    if (trial) {
      RecipeFamily family = Families.of(RecipeLoader.load(recipe, overrides, Families::of).kind(),
          recipe.toString());
      List<String> withTrial = new ArrayList<>(family.trialOverrides());
      withTrial.addAll(overrides);
      overrides = withTrial;
    }
    String location = out != null ? out : Path.of("runs", recipeName()
        + (trial ? "-trial-" : "-")
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
        .toString();
    boolean local = Locations.isLocal(location);
    Progress.configure(quiet ? null : System.err, RunSummary.stderrIsTerminal());
    Job.Result r;
    try {
      r = Job.run(new Job.Request(recipe, overrides, count, local ? Path.of(location) : null,
          overwrite, beamArgs, accepted, maxCandidates, local ? null : location));
    } finally {
      Progress.configure(null, false);
    }
    if (r.report().get("template") instanceof String spec) {
      System.out.println("Wrote the Dataflow job specification to " + spec
          + "; nothing ran and no dataset was written.");
      return 0;
    }
    if (quiet) {
      return 0;
    }
    Map<String, Object> rep = r.report();
    RecipeFamily family = Families.all().get(String.valueOf(rep.get("kind")));
    RunSummary.print(r, trial || family == null ? List.of()
        : family.reportLines(Json.tree(rep)), System.out);
    if (trial) {
      System.out.println();
      StatsCommand.print(Json.tree(rep), System.out);
    }
    return 0;
  }

  /** A --set value that stays a string ("off" or "1.0" would otherwise be parsed as YAML). */
  private static String yamlString(String v) {
    return "'" + v.replace("'", "''") + "'";
  }

  private String recipeName() {
    String f = recipe.getFileName().toString();
    return f.replaceAll("\\.ya?ml$", "");
  }
}
