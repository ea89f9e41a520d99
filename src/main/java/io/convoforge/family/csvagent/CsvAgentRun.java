package io.convoforge.family.csvagent;

import io.convoforge.core.family.FamilyRun;
import io.convoforge.core.family.Gate;
import io.convoforge.core.family.RecipeFamily;
import io.convoforge.core.family.RunContext;
import io.convoforge.core.family.StageFactory;
import io.convoforge.core.llm.Prompts;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.core.stages.Judging;
import io.convoforge.core.stages.SelectTop;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.csvagent.stages.FilterDifficulty;
import io.convoforge.family.csvagent.stages.GenerateQuestions;
import io.convoforge.family.csvagent.stages.ReadDatasets;
import io.convoforge.family.csvagent.stages.TriangulateEpisodes;
import io.convoforge.family.csvagent.stages.WriteQuestions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.PCollection;

/**
 * A csv-agent recipe's checked inputs (its datasets, loaded and hashed; the questions of its
 * {@code questions_file}, if any; its settings and prompts) and its parts of the run: the
 * {@code datasets} source, the {@code questions}, {@code episodes} and {@code difficulty}
 * stages, the judging rules, the {@code questions*.jsonl} sink, the report section, the gate.
 */
public final class CsvAgentRun implements FamilyRun {
  private final RecipeFamily family;
  private final Recipe recipe;
  private final CsvAgentSettings settings;
  private final List<DatasetRef> datasets;
  private final List<String> questionLines;
  private final Prompts prompts;
  private final String fingerprint;
  private final String describe;

  CsvAgentRun(RecipeFamily family, Recipe recipe, CsvAgentSettings settings,
      List<DatasetRef> datasets, List<String> questionLines, Prompts prompts,
      String fingerprint, String describe) {
    this.family = family;
    this.recipe = recipe;
    this.settings = settings;
    this.datasets = List.copyOf(datasets);
    this.questionLines = questionLines == null ? null : List.copyOf(questionLines);
    this.prompts = prompts;
    this.fingerprint = fingerprint;
    this.describe = describe;
  }

  public CsvAgentSettings settings() {
    return settings;
  }

  public List<DatasetRef> datasets() {
    return datasets;
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
    return describe;
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public String sourceStage() {
    return ReadDatasets.STAGE;
  }

  @Override
  public ReadDatasets source(RunContext ctx, int shards) {
    return ReadDatasets.of(ctx, datasets);
  }

  @Override
  public Map<String, StageFactory> stages() {
    Map<String, StageFactory> m = new LinkedHashMap<>();
    m.put(GenerateQuestions.STAGE, (ctx, run) -> {
      GenerateQuestions g = GenerateQuestions.of(settings, datasets, ctx.backend(), prompts,
          ctx.runId(), ctx.seed());
      return questionLines == null ? g : g.fromFile(questionLines);
    });
    m.put(TriangulateEpisodes.STAGE, (ctx, run) -> TriangulateEpisodes.of(settings, datasets,
        ctx.backend(), prompts, ctx.runId(), ctx.seed()));
    m.put(FilterDifficulty.STAGE, (ctx, run) -> FilterDifficulty.keeping(
        settings.difficulties()));
    return m;
  }

  @Override
  public Judging<CsvItem> judging(RunContext ctx) {
    return new CsvAgentJudging();
  }

  @Override
  public Prompts prompts() {
    return prompts;
  }

  @Override
  public String defaultSelectPer() {
    return SelectTop.OVERALL;
  }

  @Override
  public Long expectedCount() {
    return null;
  }

  @Override
  public PCollection<Map<String, Object>> summarize(PCollection<Record<?>> accepted,
      PCollection<Rejected> rejected, RunContext ctx) {
    return CsvAgentSummary.of(accepted, rejected);
  }

  @Override
  public Map<String, Object> report(Map<String, Object> summary, Map<String, Object> core) {
    return CsvAgentReport.build(summary);
  }

  @Override
  public List<Gate> gates(Map<String, Object> report, Map<String, Object> config) {
    return CsvAgentReport.gates(report, config);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void sinks(Map<String, StageResult<?>> stages, String dir) {
    StageResult<?> questions = stages.get(GenerateQuestions.STAGE);
    if (questions != null) {
      ((PCollection<Record<CsvItem>>) (PCollection<?>) questions.output())
          .apply(WriteQuestions.to(dir, recipe.shards()));
    }
  }
}
