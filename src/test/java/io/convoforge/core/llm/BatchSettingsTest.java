package io.convoforge.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.input.InputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Batch-mode settings are checked when the run starts, each mistake naming its key. */
class BatchSettingsTest {
  private static String error(String provider, Map<String, Object> llm) {
    return assertThrows(InputException.class, () -> LlmBackend.create(provider, llm))
        .getMessage();
  }

  @Test
  void badSettingsNameTheirKey() {
    assertTrue(error("openai", Map.of("mode", "weekly")).contains(
        "field llm.mode: expected online or batch, got 'weekly'"));
    assertTrue(error("openai", Map.of("stages", Map.of("judge", Map.of("mode", "later"))))
        .contains("field llm.stages.judge.mode: expected online or batch, got 'later'"));
    assertTrue(error("openai", Map.of("mode", "batch", "batch", Map.of("pol_ms", 5)))
        .contains("field llm.batch.pol_ms: unknown batch setting; expected some of"));
    assertTrue(error("openai", Map.of("mode", "batch", "batch", Map.of("poll_ms", 0)))
        .contains("field llm.batch.poll_ms: must be a number >= 1, got 0"));
    assertTrue(error("openai", Map.of("mode", "batch", "cache", "off"))
        .contains("field llm.cache: batch mode records its submitted batches"));
    assertTrue(error("anthropic", Map.of("mode", "batch")).contains("field llm.mode: batch mode"
        + " is for the openai, gemini and vertex backends; anthropic has no batch API here"));
    assertTrue(error("vertex", Map.of("mode", "batch", "project", "p"))
        .contains("field llm.batch.staging: Vertex AI batch prediction reads its input from"
            + " and writes its output to Cloud Storage"));
  }

  @Test
  void batchModeGroupsAStageOnOneThreadAndOnlineStagesAreUnchanged() {
    LlmBackend b = LlmBackend.create("openai", Map.of("stages",
        Map.of("judge", Map.of("mode", "batch")), "batch", Map.of("group_size", 500)));
    assertTrue(b.batching("judge").providerBatches());
    assertEquals(500, b.batching("judge").batchSize());
    assertEquals(1, b.batching("judge").concurrency());
    assertEquals(b.batching(), b.batching("plan"));
  }

  @Test
  void theRunIdIgnoresHowCallsTravel() {
    assertEquals(LlmSettings.identity(Map.of("model", "m", "temperature", 0.2)),
        LlmSettings.identity(Map.of("model", "m", "temperature", 0.2, "mode", "batch",
            "cache", "/tmp/c", "max_rpm", 60, "batch", Map.of("poll_ms", 5))));
    assertTrue(!LlmSettings.identity(Map.of("model", "m")).equals(
        LlmSettings.identity(Map.of("model", "n"))));
  }
}
