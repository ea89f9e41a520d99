package io.convoforge.family.tooluse;

import io.convoforge.core.family.FamilyRun;
import io.convoforge.core.family.Gate;
import io.convoforge.core.family.RecipeFamily;
import io.convoforge.core.family.RunContext;
import io.convoforge.core.family.StageFactory;
import io.convoforge.core.family.Summary;
import io.convoforge.core.input.InputException;
import io.convoforge.core.llm.Prompts;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.core.run.Inputs;
import io.convoforge.core.stages.Judging;
import io.convoforge.family.tooluse.gen.PhraseBank;
import io.convoforge.family.tooluse.model.ToolUse;
import io.convoforge.family.tooluse.recipe.FailureMix;
import io.convoforge.family.tooluse.recipe.Stratum;
import io.convoforge.family.tooluse.recipe.Task;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.Tools;
import io.convoforge.family.tooluse.stages.EnrichResponses;
import io.convoforge.family.tooluse.stages.PlanWorkflows;
import io.convoforge.family.tooluse.stages.RepairSeedMetadata;
import io.convoforge.family.tooluse.stages.SampleTasks;
import io.convoforge.family.tooluse.stages.SynthesizeArguments;
import io.convoforge.family.tooluse.stages.WriteUtterances;
import io.convoforge.family.tooluse.verify.DialogueGates;
import io.convoforge.family.tooluse.verify.RepairReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/** A tool-use recipe's checked inputs and its parts of the run. */
public final class ToolUseRun implements FamilyRun {
  /** The report section of the dialogue metrics. */
  public static final String DIALOGUE = "dialogue";
  private final RecipeFamily family;
  private final Recipe recipe;
  private final TablesSchema schema;
  private final Map<String, Task> tasks;
  private final PhraseBank phrases;
  private final List<Stratum> strata;
  private final Prompts prompts;
  private final FailureMix failures;
  private final String fingerprint;

  ToolUseRun(RecipeFamily family, Recipe recipe, TablesSchema schema, Map<String, Task> tasks,
      PhraseBank phrases, List<Stratum> strata, Prompts prompts, FailureMix failures,
      String fingerprint) {
    this.family = family;
    this.recipe = recipe;
    this.schema = schema;
    this.tasks = tasks;
    this.phrases = phrases;
    this.strata = List.copyOf(strata);
    this.prompts = prompts;
    this.failures = failures;
    this.fingerprint = fingerprint;
  }

  /** The stages' context for the run {@code ctx}. */
  public ToolUseContext context(RunContext ctx) {
    return new ToolUseContext(ctx, schema, tasks, phrases, prompts, failures);
  }

  public TablesSchema schema() {
    return schema;
  }

  public Map<String, Task> tasks() {
    return tasks;
  }

  public List<Stratum> strata() {
    return strata;
  }

  /** Elements the sampling plan makes. */
  public int sampleCount() {
    return strata.stream().mapToInt(Stratum::count).sum();
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
    return String.format("%d tables, %d tools, %d tasks, %d strata, %d elements planned",
        schema.tables().size(), Tools.derive(schema).size(), tasks.size(), strata.size(),
        sampleCount());
  }

  /** The tool-use run of {@code in}; a dataset of another family is an input error. */
  public static ToolUseRun of(Inputs in) {
    if (!(in.run() instanceof ToolUseRun run)) {
      throw new InputException(in.recipe().file(), "field kind", "this command works on"
          + " tool-use datasets; the recipe is of kind " + in.recipe().kind());
    }
    return run;
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public String sourceStage() {
    return SampleTasks.STAGE;
  }

  @Override
  public PTransform<PBegin, PCollection<Record<ToolUse>>> source(RunContext ctx, int shards) {
    return SampleTasks.of(context(ctx), strata).withShards(shards);
  }

  @Override
  public Map<String, StageFactory> stages() {
    Map<String, StageFactory> m = new LinkedHashMap<>();
    m.put(PlanWorkflows.STAGE, (ctx, run) -> PlanWorkflows.using(context(ctx)));
    m.put(SynthesizeArguments.STAGE, (ctx, run) -> SynthesizeArguments.using(context(ctx)));
    m.put(WriteUtterances.STAGE, (ctx, run) -> WriteUtterances.using(context(ctx)));
    m.put(RepairSeedMetadata.STAGE, (ctx, run) -> RepairSeedMetadata.using(context(ctx)));
    m.put(EnrichResponses.STAGE, (ctx, run) -> EnrichResponses.using(context(ctx)));
    return m;
  }

  @Override
  public Judging<ToolUse> judging(RunContext ctx) {
    return new ToolUseJudging(context(ctx));
  }

  @Override
  public Prompts prompts() {
    return prompts;
  }

  @Override
  public String defaultSelectPer() {
    return ToolUseCodec.TASK;
  }

  @Override
  public Long expectedCount() {
    return (long) sampleCount();
  }

  @Override
  public PCollection<Map<String, Object>> summarize(PCollection<Record<?>> accepted,
      PCollection<Rejected> rejected, RunContext ctx) {
    return PCollectionList.of(Summary.globally(accepted, new ToolUseSummary(schema)))
        .and(accepted.apply("DialogueSummary", new DialogueSummary()))
        .apply("ToolUseSummaries", Flatten.pCollections());
  }

  @Override
  @SuppressWarnings("unchecked")
  public Map<String, Object> report(Map<String, Object> summary, Map<String, Object> core) {
    Map<String, Object> stats = new LinkedHashMap<>(summary);
    Map<String, Object> repair = (Map<String, Object>) stats.remove("repair");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("repair", RepairReport.build(repair == null ? Map.of() : repair, core));
    out.put(DIALOGUE, DialogueSummary.section(stats.remove(DialogueSummary.COUNTS),
        stats.remove(DialogueSummary.LINES)));
    out.put("tool_use", stats);
    return out;
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Gate> gates(Map<String, Object> report, Map<String, Object> config) {
    List<Gate> gates = new java.util.ArrayList<>(ToolUseGates.evaluate(
        (Map<String, Object>) report.getOrDefault("tool_use", Map.of()), strata, config));
    gates.addAll(DialogueGates.evaluate(
        (Map<String, Object>) report.getOrDefault(DIALOGUE, Map.of()), config));
    gates.addAll(DifficultyBandGate.evaluate(report, config));
    return gates;
  }
}
