package io.convoforge.pipeline;

import io.convoforge.model.Conversation;
import io.convoforge.model.JsonCoder;
import io.convoforge.model.Rejected;
import io.convoforge.recipe.Stratum;
import io.convoforge.stages.SampleTasks;
import io.convoforge.stages.StageContext;
import io.convoforge.stages.StageRegistry;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * Builds the graph: {@code SampleTasks}, then each stage the recipe lists, in order, each one's
 * failures collected into one rejected-records collection. Takes no IO: the caller attaches
 * sinks (files in the launcher, {@code PAssert} in tests).
 */
public final class ConvoforgePipeline {
  private ConvoforgePipeline() {}

  /** The three collections a run produces. */
  public record Outputs(
      PCollection<Conversation> sampled,
      PCollection<Conversation> accepted,
      PCollection<Rejected> rejected) {}

  public static Outputs build(Pipeline p, StageContext ctx, List<Stratum> strata) {
    return build(p, ctx, strata, SampleTasks.DEFAULT_SHARDS);
  }

  public static Outputs build(Pipeline p, StageContext ctx, List<Stratum> strata, int shards) {
    PCollection<Conversation> sampled = p.apply(SampleTasks.of(ctx, strata).withShards(shards));
    return applyStages(sampled, ctx, ctx.recipe().stages());
  }

  /** Applies the named stages (minus "sample") to an existing collection. */
  public static Outputs applyStages(
      PCollection<Conversation> input, StageContext ctx, List<String> stages) {
    PCollection<Conversation> current = input;
    PCollectionList<Rejected> failures = PCollectionList.empty(input.getPipeline());
    for (String stage : stages) {
      if (SampleTasks.STAGE.equals(stage)) {
        continue;
      }
      WithFailures.Result<PCollection<Conversation>, Rejected> r =
          current.apply(StageRegistry.create(stage, ctx));
      current = r.output();
      failures = failures.and(r.failures());
    }
    PCollection<Rejected> rejected =
        failures.apply("CollectRejected", Flatten.pCollections())
            .setCoder(JsonCoder.of(Rejected.class));
    return new Outputs(input, current, rejected);
  }
}
