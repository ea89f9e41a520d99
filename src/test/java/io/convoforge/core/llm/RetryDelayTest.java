package io.convoforge.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.model.Json;
import io.convoforge.testing.StubLlmServer;
import io.convoforge.testing.StubLlmServer.Fault;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gemini API and Vertex AI 429s through the real Gen AI SDK: the server's {@code RetryInfo}
 * delay is waited, not the (here 1 ms) exponential backoff.
 */
class RetryDelayTest {
  private static final long DELAY_MS = 600;

  @Test
  void geminiWaitsTheRetryInfoDelay() throws Exception {
    try (StubLlmServer stub = StubLlmServer.start(1)) {
      assertWaited(stub, GenAiClient.gemini("k", stub.genAiUrl(), 5000));
    }
  }

  @Test
  void vertexWaitsTheRetryInfoDelay() throws Exception {
    try (StubLlmServer stub = StubLlmServer.start(1)) {
      assertWaited(stub, GenAiClient.vertex("p", "us-central1", stub.genAiUrl(), 5000, "t"));
    }
  }

  @Test
  void readsTheDelayFromTheErrorDetails() {
    assertEquals(3000, GenAiClient.retryDelayMillis("429 RESOURCE_EXHAUSTED. slow down\n"
        + "Details: {\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\","
        + "\"retryDelay\":\"3s\"}"));
    assertEquals(1500, GenAiClient.retryDelayMillis("{\"retryDelay\": \"1.5s\"}"));
    assertEquals(-1, GenAiClient.retryDelayMillis("429 RESOURCE_EXHAUSTED. slow down"));
    assertEquals(-1, GenAiClient.retryDelayMillis(null));
  }

  private static void assertWaited(StubLlmServer stub, GenAiClient client) throws Exception {
    stub.retryInfoSeconds(DELAY_MS / 1000.0).fault(Fault.RATE_LIMIT, null, 1);
    LlmSettings s = LlmSettings.of("gemini", Map.of("backoff_ms", 1, "max_attempts", 3));
    LlmRequest req = new LlmRequest("plan", "gemini-2.5-flash", null, null, 64, null,
        List.of("hello"), "x", Json.MAPPER.readTree("{\"type\":\"object\"}"));
    CallMeter meter = new CallMeter();
    long t0 = System.nanoTime();
    try {
      CallLoop.run(s, new Throttle(0, 0, 4), meter, 10, () -> client.call(req), r -> 0);
    } finally {
      client.close();
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(2, stub.requests(), "one 429, one retry");
    assertTrue(ms >= DELAY_MS, "waited " + ms + " ms, the server asked for " + DELAY_MS);
  }
}
