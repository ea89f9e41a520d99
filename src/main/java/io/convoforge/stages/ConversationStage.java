package io.convoforge.stages;

import io.convoforge.model.Conversation;
import io.convoforge.model.JsonCoder;
import io.convoforge.model.Rejected;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The stage interface: a composite transform from conversations to conversations that returns
 * its failures beside its output. Every stage after {@code sample} is one; the recipe decides
 * which run and in what order. Stages that need more than a per-element DoFn (grouping, batching,
 * throttled calls) override {@code expand} freely, as long as they return this shape.
 */
public abstract class ConversationStage
    extends PTransform<PCollection<Conversation>, WithFailures.Result<PCollection<Conversation>,
        Rejected>> {

  protected ConversationStage(String name) {
    super(name);
  }

  /** Applies a per-element {@link ConversationFn} with both outputs' coders set. */
  protected static WithFailures.Result<PCollection<Conversation>, Rejected> applyFn(
      PCollection<Conversation> input, String name, ConversationFn fn) {
    if (fn instanceof BackendFn && ((BackendFn) fn).ctx.backend().batching() != null) {
      // Remote backends: sharded budget, batched and concurrent calls.
      return CallInBatches.apply(input, name, (BackendFn) fn,
          ((BackendFn) fn).ctx.backend().batching());
    }
    PCollectionTuple t =
        input.apply(name,
            ParDo.of(fn).withOutputTags(ConversationFn.OUTPUT,
                TupleTagList.of(ConversationFn.FAILURES)));
    t.get(ConversationFn.OUTPUT).setCoder(JsonCoder.of(Conversation.class));
    t.get(ConversationFn.FAILURES).setCoder(JsonCoder.of(Rejected.class));
    return WithFailures.Result.of(t, ConversationFn.OUTPUT, ConversationFn.FAILURES);
  }
}
