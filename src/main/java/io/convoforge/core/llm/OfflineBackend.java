package io.convoforge.core.llm;

/**
 * The offline backend: no model at all. Each family's stages answer with their own
 * deterministic code, seeded from (run seed, element id, stage); no network, no API key.
 */
public final class OfflineBackend implements Backend {
  public static final String NAME = "offline";
  public static final OfflineBackend INSTANCE = new OfflineBackend();

  private OfflineBackend() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean offline() {
    return true;
  }

  @Override
  public Batching batching() {
    return null;
  }

  @Override
  public LlmSession open(Prompts prompts, String stage, String runId) {
    throw new IllegalStateException("the offline backend has no model to call (stage " + stage
        + ")");
  }

  private Object readResolve() {
    return INSTANCE;
  }
}
