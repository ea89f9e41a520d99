package io.convoforge.stages;

import io.convoforge.backend.Generator;
import io.convoforge.model.Conversation;

/**
 * A {@link ConversationFn} that calls the backend: opens one {@link Generator} per DoFn instance
 * in {@code @Setup} and closes it in {@code @Teardown}.
 */
public abstract class BackendFn extends ConversationFn {
  protected final StageContext ctx;
  private final String stage;
  private transient Generator generator;

  protected BackendFn(String stage, StageContext ctx) {
    super(stage);
    this.stage = stage;
    this.ctx = ctx;
  }

  @Setup
  public void setup() {
    generator = ctx.backend().open(ctx, stage);
  }

  @Teardown
  public void teardown() {
    if (generator != null) {
      generator.close();
    }
  }

  @Override
  protected final Conversation apply(Conversation c) throws RejectException {
    return apply(c, generator);
  }

  protected abstract Conversation apply(Conversation c, Generator g) throws RejectException;

  /** The stage name, as written into failures and metrics. */
  String stage() {
    return stage;
  }
}
