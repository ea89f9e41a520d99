package io.convoforge.core.family;

import io.convoforge.core.llm.Prompts;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.core.stages.Judging;
import io.convoforge.core.stages.StageResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * A family's checked inputs for one run (what {@link RecipeFamily#prepare} returns), and the
 * parts of the run it supplies: the source, its stages by name, its share of the judge, the
 * report sections and gates it adds, and optional extra sinks.
 */
public interface FamilyRun {
  /** The family this run belongs to (its codec reads and writes the records). */
  RecipeFamily family();

  Recipe recipe();

  /** One line on the checked inputs, printed by {@code validate} ("4 tables, 16 tasks..."). */
  String describe();

  /** The contents of every input file, so that the run id names the inputs, not their paths. */
  String fingerprint();

  /** The name of the source stage, which every recipe of the family lists first. */
  String sourceStage();

  /**
   * The source stage (the first of the recipe's stages): makes the run's first records, with
   * deterministic ids, spread over {@code shards} (the parallelism downstream of it).
   */
  PTransform<PBegin, ? extends PCollection<? extends Record<?>>> source(RunContext ctx,
      int shards);

  /** The family's own stages by the name recipes give them (besides the source). */
  Map<String, StageFactory> stages();

  /** The family's part in the core judge and filter, for the run {@code ctx}. */
  Judging<?> judging(RunContext ctx);

  /** The family's prompt templates for LLM backends ({@code transforms/<kind>/<stage>/}). */
  Prompts prompts();

  /** The slice key {@code select.per} defaults to ({@code overall}: no grouping). */
  String defaultSelectPer();

  /** Accepted records the count gate expects when the recipe sets none; null: no count gate. */
  Long expectedCount();

  /**
   * The statistics the family's report sections and gates need, computed inside the pipeline
   * (no record is read into one JVM) from the run's accepted records and its rejections (whose
   * {@code element} keeps the payload): one or more JSON-shaped maps, merged key by key into the
   * {@code summary} that {@link #report} receives. Most families combine the accepted records
   * with a {@link Summary}: {@code Summary.globally(accepted, new MySummary())}.
   */
  PCollection<Map<String, Object>> summarize(PCollection<Record<?>> accepted,
      PCollection<Rejected> rejected, RunContext ctx);

  /** The family's report sections, from its {@code summary} and the core report. */
  Map<String, Object> report(Map<String, Object> summary, Map<String, Object> coreReport);

  /** The family's gates, from the report and the recipe's gates section. */
  List<Gate> gates(Map<String, Object> report, Map<String, Object> config);

  /**
   * Extra outputs of the family beside the accepted and rejected records (a per-stage artifact,
   * batch folders), given every stage's result by recipe stage name; written into {@code dir}.
   */
  default void sinks(Map<String, StageResult<?>> stages, String dir) {}

  /**
   * Called once the run's output is committed (moved into place at {@code out}, its {@code
   * report} written), so paths the family records elsewhere are final: registering batches in
   * a database, publishing them to a shared folder. Not called when the run fails before its
   * commit. A failure here fails the run (exit 1) with the output left in place; it should be
   * all-or-nothing on its own side (one transaction per unit) and safe to repeat.
   */
  default void committed(Path out, Map<String, Object> report) {}
}
