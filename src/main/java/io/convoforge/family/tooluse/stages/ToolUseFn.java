package io.convoforge.family.tooluse.stages;

import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.stages.RecordFn;
import io.convoforge.family.tooluse.ToolUseCodec;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.backend.Generator;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.ToolUse;

/**
 * The per-element work of a tool-use stage, on the family's {@link Conversation} view of the
 * record: {@link #apply} returns the conversation with the stage's work done, or throws {@link
 * RejectException}.
 */
abstract class ToolUseFn extends RecordFn<ToolUse, ToolUse> {
  protected final ToolUseContext ctx;

  ToolUseFn(String stage, ToolUseContext ctx) {
    this(stage, ctx, false);
  }

  ToolUseFn(String stage, ToolUseContext ctx, boolean callsModel) {
    super(stage, callsModel);
    this.ctx = ctx;
  }

  protected abstract Conversation apply(Conversation c) throws RejectException;

  @Override
  protected final void process(Record<ToolUse> r, Emitter<ToolUse> emit)
      throws RejectException {
    emit.output(ToolUseCodec.update(r, apply(ToolUseCodec.view(r))));
  }

  /** A tool-use function that works through the run's {@link Generator}. */
  abstract static class WithGenerator extends ToolUseFn {
    private transient Generator generator;

    WithGenerator(String stage, ToolUseContext ctx) {
      super(stage, ctx, true);
    }

    @Override
    protected void open() {
      generator = ctx.generator(stage());
    }

    @Override
    protected void close() {
      if (generator != null) {
        generator.close();
      }
    }

    @Override
    protected final Conversation apply(Conversation c) throws RejectException {
      return apply(c, generator);
    }

    protected abstract Conversation apply(Conversation c, Generator g) throws RejectException;
  }
}
