package io.convoforge.core.llm;

import io.convoforge.core.input.InputException;
import java.util.List;
import java.util.Map;

/**
 * The backends by the name a recipe or {@code --backend} gives, and {@code auto}: an LLM backend
 * whose credentials are present ({@code OPENAI_API_KEY}, else {@code GEMINI_API_KEY} or {@code
 * GOOGLE_API_KEY}, from the environment or {@code .env}), else the offline backend.
 */
public final class Backends {
  public static final String AUTO = "auto";
  public static final List<String> NAMES =
      List.of(OfflineBackend.NAME, LlmBackend.OPENAI, LlmBackend.GEMINI, LlmBackend.VERTEX);

  private Backends() {}

  /** Which backend a name stands for, and why (for {@code auto}; null for a named one). */
  public record Choice(String name, String reason) {}

  /**
   * The backend {@code name} stands for: itself, or for {@code auto} the first provider whose
   * key is found (OpenAI, then Gemini) and otherwise offline, with the reason in words. Keys are
   * looked up, never kept or shown.
   */
  public static Choice choose(String name) {
    if (!AUTO.equals(name)) {
      return new Choice(name, null);
    }
    if (Secrets.get("OPENAI_API_KEY") != null) {
      return new Choice(LlmBackend.OPENAI, "OPENAI_API_KEY is set");
    }
    if (Secrets.get("GEMINI_API_KEY", "GOOGLE_API_KEY") != null) {
      return new Choice(LlmBackend.GEMINI, "GEMINI_API_KEY or GOOGLE_API_KEY is set");
    }
    return new Choice(OfflineBackend.NAME, "no OPENAI_API_KEY, GEMINI_API_KEY or GOOGLE_API_KEY"
        + " in the environment or .env; set one to generate with an LLM");
  }

  /**
   * The backend {@code name} with the recipe's {@code llm} section (offline ignores it); {@code
   * auto} is resolved by {@link #choose} first.
   */
  public static Backend create(String name, Map<String, Object> llmSection) {
    String resolved = choose(name).name();
    if (OfflineBackend.NAME.equals(resolved)) {
      return OfflineBackend.INSTANCE;
    }
    if (!NAMES.contains(resolved)) {
      throw new InputException("--backend " + name, null, "unknown backend; expected one of "
          + NAMES + " or " + AUTO);
    }
    return LlmBackend.create(resolved, llmSection);
  }

  /**
   * Tells this JVM that it is a worker of a run on a cluster of {@code parallelism} (a runner
   * other than the DirectRunner): its LLM calls then take their part of the run-wide budget
   * from one throttle coordinated with the other workers through the cache directory ({@code
   * SharedBudget}), not from per-shard slices.
   */
  public static void onCluster(int parallelism) {
    SharedBudget.onCluster(parallelism);
  }
}
