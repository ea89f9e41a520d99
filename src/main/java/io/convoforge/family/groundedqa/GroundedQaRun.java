package io.convoforge.family.groundedqa;

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
import io.convoforge.family.groundedqa.stages.ChunkFacts;
import io.convoforge.family.groundedqa.stages.Converse;
import io.convoforge.family.groundedqa.stages.ExtractQa;
import io.convoforge.family.groundedqa.stages.ValidateQa;
import io.convoforge.family.groundedqa.stages.WriteQaPairs;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;

/** A grounded Q&A recipe's checked inputs and its parts of the run. */
final class GroundedQaRun implements FamilyRun {
  private final RecipeFamily family;
  private final Recipe recipe;
  private final String facts;
  private final List<Chunk> chunks;
  private final Personas personas;
  private final PhraseBank phrases;
  private final LocalDate asOf;
  private final Prompts prompts;
  private final String fingerprint;

  GroundedQaRun(RecipeFamily family, Recipe recipe, String facts, List<Chunk> chunks,
      Personas personas, PhraseBank phrases, LocalDate asOf, Prompts prompts,
      String fingerprint) {
    this.family = family;
    this.recipe = recipe;
    this.facts = facts;
    this.chunks = List.copyOf(chunks);
    this.personas = personas;
    this.phrases = phrases;
    this.asOf = asOf;
    this.prompts = prompts;
    this.fingerprint = fingerprint;
  }

  GroundedQaContext context(RunContext ctx) {
    return new GroundedQaContext(ctx, asOf, personas.personas(), personas.styles(), phrases,
        prompts, ((Number) recipe.value("qa_per_chunk")).intValue(),
        ((Number) recipe.value("conversations_per_qa")).intValue(), recipe.turnsMin(),
        recipe.turnsMax());
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
    return String.format("%d chunks of %s (as of %s), %d personas, %d styles", chunks.size(),
        facts, asOf, personas.personas().size(), personas.styles().size());
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public String sourceStage() {
    return ChunkFacts.STAGE;
  }

  @Override
  public ChunkFacts source(RunContext ctx, int shards) {
    return ChunkFacts.of(context(ctx), chunks, facts);
  }

  @Override
  public Map<String, StageFactory> stages() {
    Map<String, StageFactory> m = new LinkedHashMap<>();
    m.put(ExtractQa.STAGE, (ctx, run) -> ExtractQa.using(context(ctx)));
    m.put(ValidateQa.STAGE, (ctx, run) -> ValidateQa.using(context(ctx)));
    m.put(Converse.STAGE, (ctx, run) -> Converse.using(context(ctx)));
    return m;
  }

  @Override
  public Judging<GroundedQa> judging(RunContext ctx) {
    return new GroundedQaJudging(asOf);
  }

  @Override
  public Prompts prompts() {
    return prompts;
  }

  @Override
  public String defaultSelectPer() {
    return "overall";
  }

  @Override
  public Long expectedCount() {
    return null;
  }

  @Override
  public PCollection<Map<String, Object>> summarize(PCollection<Record<?>> accepted,
      PCollection<Rejected> rejected, RunContext ctx) {
    return Summary.globally(accepted, new GroundedQaChecks(chunks, asOf));
  }

  @Override
  public Map<String, Object> report(Map<String, Object> summary, Map<String, Object> core) {
    return GroundedQaChecks.report(summary, core, facts, asOf, chunks.size());
  }

  @Override
  public List<Gate> gates(Map<String, Object> report, Map<String, Object> config) {
    return GroundedQaChecks.gates(report, config, asOf);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void sinks(Map<String, StageResult<?>> stages, String dir) {
    StageResult<?> validated = stages.get(ValidateQa.STAGE);
    if (validated != null) {
      Pipeline.applyTransform((StageResult<GroundedQa>) validated, WriteQaPairs.to(dir));
    }
  }
}
