package io.convoforge.core.llm;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stops a run that cannot succeed instead of spending its whole input: after {@code
 * llm.stop_after_errors} (default 20) consecutive calls of a run that failed with the same
 * permanent error (a wrong API key, an unknown model) and no success in between, the next such
 * failure throws {@link RunStoppedException} naming the cause and what to check. Any success
 * resets the streak; a different permanent error starts a new one. Transient errors (retried,
 * then {@code llm_unavailable}) never count: an outage is not a configuration mistake.
 *
 * <p>One per run and JVM, shared by every stage and the embedder; {@link #resetAll} when a new
 * pipeline starts in the JVM, so one run's streak never carries into the next.
 */
public final class RunBreaker {
  private static final Map<String, RunBreaker> RUNS = new ConcurrentHashMap<>();

  private String cause;
  private int streak;

  private RunBreaker() {}

  static RunBreaker forRun(String runId) {
    return RUNS.computeIfAbsent(runId, k -> new RunBreaker());
  }

  /** Forgets every run's streak (a new pipeline starts in this JVM). */
  public static void resetAll() {
    RUNS.clear();
  }

  synchronized void success() {
    streak = 0;
    cause = null;
  }

  /**
   * A call of {@code stage} to {@code provider} failed permanently with {@code error} (such as
   * {@code HTTP 401}); throws when this makes {@code limit} in a row (limit 0: never).
   */
  synchronized void permanent(String provider, String stage, String error, int limit) {
    String c = provider + ": " + error;
    if (c.equals(cause)) {
      streak++;
    } else {
      cause = c;
      streak = 1;
    }
    if (limit > 0 && streak >= limit) {
      throw new RunStoppedException("stopped early: the last " + streak + " calls to "
          + provider + " failed with the same permanent error, " + error
          + ", and none succeeded in between (the last in stage " + stage + "). "
          + hint(provider, error) + " (llm.stop_after_errors=" + limit
          + " decides when a run stops; 0 never stops it.)");
    }
  }

  private static String hint(String provider, String error) {
    if (error.contains("HTTP 401") || error.contains("HTTP 403")) {
      return "The provider refused the credentials: check " + switch (provider) {
        case LlmBackend.OPENAI -> "OPENAI_API_KEY (environment or .env)";
        case LlmBackend.GEMINI -> "GEMINI_API_KEY or GOOGLE_API_KEY (environment or .env)";
        default -> "the Application Default Credentials and their access to the project";
      } + ".";
    }
    if (error.contains("HTTP 404")) {
      return "The model or the endpoint does not exist: check llm.model (--model), the"
          + " stage's llm.stages.<stage>.model or embed.model, and llm.base_url.";
    }
    if (error.contains("HTTP 400") || error.contains("HTTP 422")) {
      return "The provider rejected the request itself: check the model's parameters"
          + " (llm.max_tokens, llm.temperature, embed.dimensions) and the prompt templates.";
    }
    return "Check the backend settings (docs/llm-backends.md).";
  }
}
