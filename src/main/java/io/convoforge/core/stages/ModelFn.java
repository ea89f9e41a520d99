package io.convoforge.core.stages;

import io.convoforge.core.llm.Backend;
import io.convoforge.core.llm.LlmSession;
import io.convoforge.core.llm.Prompts;

/**
 * A {@link RecordFn} whose work is asked of the model on an LLM backend and done by the family's
 * own deterministic code offline: it opens the stage's {@link LlmSession} (per instance or call
 * thread) when the backend has a model, closes it at teardown, and on a remote backend its
 * elements are batched and called concurrently under the run's throttle.
 */
public abstract class ModelFn<I, O> extends RecordFn<I, O> {
  private final Backend backend;
  private final Prompts prompts;
  private final String runId;
  private transient LlmSession session;

  protected ModelFn(String stage, Backend backend, Prompts prompts, String runId) {
    super(stage, !backend.offline());
    this.backend = backend;
    this.prompts = prompts;
    this.runId = runId;
  }

  /** The stage's model session; null offline, where the family's answerers work instead. */
  protected final LlmSession session() {
    return session;
  }

  @Override
  protected void open() {
    if (!backend.offline()) {
      session = backend.open(prompts, stage(), runId);
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
