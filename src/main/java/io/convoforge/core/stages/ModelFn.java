package io.convoforge.core.stages;

import io.convoforge.core.llm.Backend;
import io.convoforge.core.llm.LlmSession;
import io.convoforge.core.llm.Prompts;

/**
 * A {@link RecordFn} whose work is asked of the model on an LLM backend and done by the family's
 * own deterministic code offline: it opens the stage's {@link LlmSession} (per instance or call
 * thread) when the backend has a model, closes it at teardown, and on a remote backend its
 * elements are batched and called concurrently under the run's throttle. A subclass that holds
 * more per-instance resources extends {@link #open} and {@link #close}, calling these.
 */
public abstract class ModelFn<I, O> extends RecordFn<I, O> {
  private final Backend backend;
  private final String prompt;
  private final Prompts prompts;
  private final String runId;
  private final boolean asksModel;
  private transient LlmSession session;

  protected ModelFn(String stage, Backend backend, Prompts prompts, String runId) {
    this(stage, stage, backend, prompts, runId, !backend.offline());
  }

  /**
   * A stage whose session opens the prompt directory {@code prompt} (not the stage's name), and
   * that asks the model only when {@code asksModel} (a model backend, and the stage's settings
   * want it): otherwise it works as offline.
   */
  protected ModelFn(String stage, String prompt, Backend backend, Prompts prompts, String runId,
      boolean asksModel) {
    super(stage, asksModel);
    this.backend = backend;
    this.prompt = prompt;
    this.prompts = prompts;
    this.runId = runId;
    this.asksModel = asksModel;
  }

  /** The stage's model session; null offline, where the family's answerers work instead. */
  protected final LlmSession session() {
    return session;
  }

  @Override
  protected void open() {
    if (asksModel) {
      session = backend.open(prompts, prompt, runId);
    }
  }

  @Override
  protected void close() {
    if (session != null) {
      session.close();
      session = null;
    }
  }
}
