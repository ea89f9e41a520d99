package io.convoforge.core.llm;

import io.convoforge.core.input.InputException;
import java.util.List;
import java.util.Map;

/** The backends by the name a recipe or {@code --backend} gives. */
public final class Backends {
  public static final List<String> NAMES =
      List.of(OfflineBackend.NAME, LlmBackend.OPENAI, LlmBackend.GEMINI, LlmBackend.VERTEX);

  private Backends() {}

  /** The backend {@code name} with the recipe's {@code llm} section (offline ignores it). */
  public static Backend create(String name, Map<String, Object> llmSection) {
    if (OfflineBackend.NAME.equals(name)) {
      return OfflineBackend.INSTANCE;
    }
    if (!NAMES.contains(name)) {
      throw new InputException("--backend " + name, null, "unknown backend; expected one of "
          + NAMES);
    }
    return LlmBackend.create(name, llmSection);
  }
}
