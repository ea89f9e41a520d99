package io.convoforge.stages;

import io.convoforge.model.Conversation;
import io.convoforge.model.Rejected;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Base of the per-element DoFns of conversation stages: {@link #apply} returns the element with
 * the stage's work done, or throws {@link RejectException}, which becomes a {@link Rejected} on
 * the failure output. Any other exception is a bug and fails the bundle (so the runner retries).
 */
public abstract class ConversationFn extends DoFn<Conversation, Conversation> {
  public static final TupleTag<Conversation> OUTPUT = new TupleTag<Conversation>() {};
  public static final TupleTag<Rejected> FAILURES = new TupleTag<Rejected>() {};

  private final String stage;
  private final Counter accepted;
  private final Counter rejected;

  protected ConversationFn(String stage) {
    this.stage = stage;
    this.accepted = Metrics.counter(ConversationFn.class, stage + "_out");
    this.rejected = Metrics.counter(ConversationFn.class, stage + "_rejected");
  }

  protected abstract Conversation apply(Conversation c) throws RejectException;

  @ProcessElement
  public void processElement(@Element Conversation c, MultiOutputReceiver out) {
    try {
      out.get(OUTPUT).output(apply(c));
      accepted.inc();
    } catch (RejectException e) {
      rejected.inc();
      out.get(FAILURES).output(Rejected.of(c, stage, e.reason(), e.getMessage(), e.rawResponse()));
    }
  }
}
