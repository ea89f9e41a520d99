package io.convoforge.family.scenario;

import io.convoforge.core.family.FamilyRun;
import io.convoforge.core.family.Gate;
import io.convoforge.core.family.RecipeFamily;
import io.convoforge.core.family.RunContext;
import io.convoforge.core.family.StageFactory;
import io.convoforge.core.family.Summary;
import io.convoforge.core.llm.Prompts;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.core.stages.Judging;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.scenario.model.ScenarioCall;
import io.convoforge.family.scenario.offline.OfflineTranscripts;
import io.convoforge.family.scenario.registry.RegistryUrl;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.stages.AssignTimestamps;
import io.convoforge.family.scenario.stages.GenerateCalls;
import io.convoforge.family.scenario.stages.SampleScenarios;
import io.convoforge.family.scenario.stages.WriteBatches;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * A scenario-dialogue recipe's checked inputs (the spec, the plan, the offline writer when the
 * backend is offline, the prompts) and its parts of the run: the source ({@code sample}), the
 * stages {@code generate} and {@code timestamps}, the judge's rules, the report's {@code
 * scenario} section and the balance gate, the batch folders and {@code messages.csv} sinks, and
 * after the commit the delivery of the batches (output root, registry, audit).
 */
public final class ScenarioRun implements FamilyRun {
  private final RecipeFamily family;
  private final Recipe recipe;
  private final ScenarioSettings settings;
  private final PromptSpec spec;
  private final ScenarioPlan plan;
  private final OfflineTranscripts writer;
  private final Prompts prompts;
  private final String fingerprint;

  ScenarioRun(RecipeFamily family, Recipe recipe, ScenarioSettings settings, PromptSpec spec,
      ScenarioPlan plan, OfflineTranscripts writer, Prompts prompts, String fingerprint) {
    this.family = family;
    this.recipe = recipe;
    this.settings = settings;
    this.spec = spec;
    this.plan = plan;
    this.writer = writer;
    this.prompts = prompts;
    this.fingerprint = fingerprint;
  }

  public ScenarioSettings settings() {
    return settings;
  }

  public PromptSpec spec() {
    return spec;
  }

  public ScenarioPlan plan() {
    return plan;
  }

  @Override
  public RecipeFamily family() {
    return family;
  }

  @Override
  public Recipe recipe() {
    return recipe;
  }

  @Override
  public String describe() {
    return String.format("prompt %s (%s, %s, %d scenarios, %d turns, first %s%s); %s mode%s;"
            + " %d conversations in %d batches of %d; registry %s%s", spec.file(), spec.id(),
        spec.language(), spec.scenarios().size(), spec.turns(), spec.first().wire(),
        spec.timing() == null ? ", no timing" : "", plan.mode().wire(),
        plan.fixedScenario() == null ? "" : " (" + plan.fixedScenario() + ")", plan.count(),
        plan.batches(), plan.batchSize(), settings.registers()
            ? RegistryUrl.redacted(settings.registryUrl())
            : "none", settings.outputRoot() == null ? "" : "; output root "
            + settings.outputRoot());
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public String sourceStage() {
    return SampleScenarios.STAGE;
  }

  @Override
  public PTransform<PBegin, PCollection<Record<ScenarioCall>>> source(RunContext ctx,
      int shards) {
    return SampleScenarios.of(plan, promptFile(), recipe.name(), ctx.lineage())
        .withShards(shards);
  }

  @Override
  public Map<String, StageFactory> stages() {
    Map<String, StageFactory> m = new LinkedHashMap<>();
    m.put(GenerateCalls.STAGE, (ctx, run) -> GenerateCalls.of(spec, writer, ctx.backend(),
        prompts, ctx.runId(), ctx.seed()));
    m.put(AssignTimestamps.STAGE, (ctx, run) -> AssignTimestamps.of(
        Timeline.of(spec, plan.batchSize()), ctx.seed()));
    return m;
  }

  @Override
  public Judging<ScenarioCall> judging(RunContext ctx) {
    return new ScenarioJudging(spec);
  }

  @Override
  public Prompts prompts() {
    return prompts;
  }

  @Override
  public String defaultSelectPer() {
    return ScenarioCodec.SCENARIO;
  }

  @Override
  public Long expectedCount() {
    return (long) plan.count();
  }

  @Override
  public PCollection<Map<String, Object>> summarize(PCollection<Record<?>> accepted,
      PCollection<Rejected> rejected, RunContext ctx) {
    return Summary.globally(accepted, new ScenarioReport.Counts());
  }

  @Override
  public Map<String, Object> report(Map<String, Object> summary, Map<String, Object> core) {
    return Map.of(ScenarioReport.SECTION, ScenarioReport.build(plan, settings, summary));
  }

  @Override
  public List<Gate> gates(Map<String, Object> report, Map<String, Object> config) {
    return List.of(ScenarioReport.balanceGate(plan, report));
  }

  /**
   * The spec's file name, as records and batch files name it: its content is identified by its
   * hash, its full path is the registry's; a batch's bytes must not depend on where the run was
   * started from.
   */
  private String promptFile() {
    return Path.of(settings.prompt()).getFileName().toString();
  }

  /** Batch folders and messages.csv from the last stage's output (the accepted calls). */
  @Override
  @SuppressWarnings("unchecked")
  public void sinks(Map<String, StageResult<?>> stages, String dir) {
    if (stages.isEmpty()) {
      return;
    }
    List<StageResult<?>> results = new ArrayList<>(stages.values());
    PCollection<Record<ScenarioCall>> accepted = (PCollection<Record<ScenarioCall>>)
        (PCollection<?>) results.get(results.size() - 1).output();
    accepted.apply(WriteBatches.to(dir, plan, promptFile()));
  }

  /** Publishes and registers the committed batches (see {@link Delivery}). */
  @Override
  public void committed(Path out, Map<String, Object> report) {
    new Delivery(settings, spec, System.out).deliver(out);
  }
}
