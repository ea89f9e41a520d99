package io.convoforge.family.tooluse.backend;

import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.offline.OfflineGenerator;

/** Opens the {@link Generator} of a stage for the run's backend, on the worker. */
public final class Generators {
  /** Where a stage's generator comes from (the run's backend, or a test's fake). */
  @FunctionalInterface
  public interface Source extends java.io.Serializable {
    Generator open(ToolUseContext ctx, String stage);
  }

  /** The run's backend: {@link #open}. */
  public static final Source BACKEND = Generators::open;

  private Generators() {}

  /**
   * Offline: the deterministic answerers. An LLM backend: a {@link LlmGenerator} whose model
   * session belongs to {@code stage}, on the offline scaffold.
   */
  public static Generator open(ToolUseContext ctx, String stage) {
    OfflineGenerator offline = new OfflineGenerator(ctx);
    if (ctx.backend().offline()) {
      return offline;
    }
    return new LlmGenerator(ctx, offline,
        ctx.backend().open(ctx.prompts(), stage, ctx.runId()));
  }
}
