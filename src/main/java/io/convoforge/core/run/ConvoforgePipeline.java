package io.convoforge.core.run;

import io.convoforge.core.model.JsonCoder;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * Builds the graph: the family's source, then each stage the recipe lists, in order, each one's
 * failures collected into one rejected-records collection, and the {@link Funnel} counted from
 * every stage's outputs. Takes no IO: the caller attaches sinks (files in the launcher, {@code
 * PAssert} in tests).
 */
public final class ConvoforgePipeline {
  private ConvoforgePipeline() {}

  /**
   * What a run produces: the source's records, the accepted records, every rejection, the
   * funnel counts, each stage's result by recipe stage name, and each stage transform's name
   * mapped to its recipe stage name (metrics are keyed by transform).
   */
  public record Outputs(
      PCollection<? extends Record<?>> sampled,
      PCollection<? extends Record<?>> accepted,
      PCollection<Rejected> rejected,
      PCollection<KV<String, Long>> funnel,
      Map<String, StageResult<?>> stages,
      Map<String, String> stageOfTransform) {}

  /** The whole recipe: its source (spread over {@code shards}) and its stages. */
  public static Outputs build(Pipeline p, Inputs in, int shards) {
    String source = in.recipe().stages().get(0);
    var transform = in.run().source(in.context(), shards);
    PCollection<? extends Record<?>> sampled = p.apply(transform);
    Map<String, String> names = new LinkedHashMap<>();
    names.put(transform.getName(), source);
    Map<String, RecordStage<?, ?>> stages = new LinkedHashMap<>();
    for (String stage : in.recipe().stages().subList(1, in.recipe().stages().size())) {
      stages.put(stage, StageRegistry.create(stage, in.context(), in.run()));
    }
    return applyStages(sampled, source, stages, names);
  }

  /**
   * Applies {@code stages} (by the name the funnel gives them), in order, to an existing
   * collection whose producer the funnel calls {@code source} (a family's source, or the reader
   * of an existing dataset).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Outputs applyStages(PCollection<? extends Record<?>> input, String source,
      Map<String, RecordStage<?, ?>> stages, Map<String, String> stageOfTransform) {
    Pipeline p = input.getPipeline();
    PCollection current = input;
    PCollectionList<Rejected> failures = PCollectionList.empty(p);
    PCollectionList<KV<String, Long>> counts =
        PCollectionList.of(Funnel.outputs(input, 0, source, true));
    Map<String, StageResult<?>> results = new LinkedHashMap<>();
    Map<String, String> names = new LinkedHashMap<>(stageOfTransform);
    int index = 0;
    for (Map.Entry<String, RecordStage<?, ?>> e : stages.entrySet()) {
      index++;
      String stage = e.getKey();
      RecordStage s = e.getValue();
      names.put(s.getName(), stage);
      StageResult<?> r = (StageResult<?>) current.apply(s);
      results.put(stage, r);
      current = r.output();
      failures = failures.and(r.failures());
      counts = counts.and(Funnel.outputs(r.output(), index, stage, false))
          .and(Funnel.rejections(r.failures(), index, stage));
      if (r.created() != null) {
        counts = counts.and(Funnel.created(r.created(), index, stage));
      }
    }
    PCollection<Rejected> rejected = failures.apply("CollectRejected", Flatten.pCollections())
        .setCoder(JsonCoder.of(Rejected.class));
    PCollection<KV<String, Long>> funnel = counts
        .apply("CollectFunnel", Flatten.pCollections())
        .apply("SumFunnel", Sum.longsPerKey())
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    return new Outputs(input, current, rejected, funnel, results, names);
  }
}
