package io.convoforge.core.llm;

import io.convoforge.core.input.InputException;
import io.convoforge.core.input.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the batch-mode settings of a provider when the run starts, so a mistake is one clear
 * error naming the key rather than a failure hours into a run: {@code llm.mode} and {@code
 * llm.stages.<stage>.mode} are {@code online} or {@code batch}; the {@code llm.batch} keys are
 * known and positive numbers; batch mode has a response cache (its manifests live there); Vertex
 * AI batch prediction has a staging folder it can read ({@code gs://}, or any folder for a local
 * endpoint).
 */
final class BatchSettings {
  static final Set<String> KEYS = Set.of("poll_ms", "poll_max_ms", "max_submissions",
      "online_max", "group_size", "max_buffering_ms", "max_requests", "staging");

  private BatchSettings() {}

  @SuppressWarnings("unchecked")
  static void check(LlmSettings s) {
    List<Problem> problems = new ArrayList<>();
    boolean batch = mode(s.values().get("mode"), "llm.mode", problems);
    if (s.values().get("stages") instanceof Map<?, ?> stages) {
      for (Map.Entry<?, ?> e : stages.entrySet()) {
        if (e.getValue() instanceof Map<?, ?> st) {
          batch |= mode(st.get("mode"), "llm.stages." + e.getKey() + ".mode", problems);
        }
      }
    }
    Object section = s.values().get("batch");
    if (section != null && !(section instanceof Map)) {
      problems.add(new Problem("recipe", "field llm.batch", "must be a mapping of batch"
          + " settings (" + new TreeSet<>(KEYS) + ")"));
    } else if (section != null) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) section).entrySet()) {
        String k = e.getKey();
        if (!KEYS.contains(k)) {
          problems.add(new Problem("recipe", "field llm.batch." + k, "unknown batch setting;"
              + " expected some of " + new TreeSet<>(KEYS)));
        } else if (!"staging".equals(k) && !(e.getValue() instanceof Number n
            && n.doubleValue() >= ("online_max".equals(k) ? 0 : 1))) {
          problems.add(new Problem("recipe", "field llm.batch." + k, "must be a number >= "
              + ("online_max".equals(k) ? 0 : 1) + ", got " + e.getValue()));
        }
      }
    }
    if (batch && !Set.of(LlmBackend.OPENAI, LlmBackend.GEMINI, LlmBackend.VERTEX)
        .contains(s.provider())) {
      problems.add(new Problem("recipe", "field llm.mode", "batch mode is for the openai,"
          + " gemini and vertex backends; " + s.provider() + " has no batch API here"));
    }
    if (batch && !s.cacheEnabled()) {
      problems.add(new Problem("recipe", "field llm.cache", "batch mode records its submitted"
          + " batches under the response cache, so a restarted run finds them: llm.cache"
          + " cannot be off with llm.mode batch"));
    }
    if (batch && LlmBackend.VERTEX.equals(s.provider()) && s.batchString("staging") == null
        && !s.cacheDir().startsWith("gs://") && !local(s.baseUrl())) {
      problems.add(new Problem("recipe", "field llm.batch.staging", "Vertex AI batch"
          + " prediction reads its input from and writes its output to Cloud Storage: set"
          + " llm.batch.staging=gs://BUCKET/PREFIX (or put llm.cache on gs://)"));
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
  }

  /** True for batch; a value other than online or batch is a problem. */
  private static boolean mode(Object v, String key, List<Problem> problems) {
    if (v == null) {
      return false;
    }
    String m = String.valueOf(v).trim();
    if (!LlmSettings.ONLINE.equals(m) && !LlmSettings.BATCH.equals(m)) {
      problems.add(new Problem("recipe", "field " + key, "expected online or batch, got '" + v
          + "'"));
    }
    return LlmSettings.BATCH.equals(m);
  }

  static boolean local(String baseUrl) {
    return baseUrl != null && baseUrl.matches("https?://(127\\.0\\.0\\.1|localhost)[:/].*");
  }
}
