package io.convoforge.family.tooluse.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.run.Job;
import io.convoforge.testing.StubLlmServer;
import io.convoforge.testing.StubLlmServer.Fault;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gemini and vertex backends through the real Gen AI SDK against a generateContent stub. */
class GenAiBackendTest {
  private static final int N = 4;
  @TempDir Path tmp;
  private StubLlmServer stub;

  @BeforeEach
  void start() throws Exception {
    stub = StubLlmServer.start(1);
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  @Test
  void geminiWritesEveryElementRetriesA429AndRerunsFromCache() throws Exception {
    stub.fault(Fault.RATE_LIMIT, "plan", 1);
    Job.Result r = LlmRuns.run("gemini", stub.genAiUrl(), tmp.resolve("cache"),
        tmp.resolve("out"), N);
    Map<String, Object> rejected = LlmRuns.accounted(r, N);
    assertEquals(N, ((Number) r.report().get("accepted")).intValue(), rejected::toString);
    assertEquals(N + 1, stub.requests("plan"));
    assertTrue(OpenAiBackendTest.text(r.out(), "conversations")
        .contains("(stub) "));
    int calls = stub.requests();
    LlmRuns.run("gemini", stub.genAiUrl(), tmp.resolve("cache"), tmp.resolve("out2"), N);
    assertEquals(calls, stub.requests());
  }

  @Test
  void vertexWritesEveryElementAndRejectsSchemaBreakingAnswers() {
    stub.fault(Fault.SCHEMA_BREAKING, "judge", -1);
    Job.Result r = LlmRuns.run("vertex", stub.genAiUrl(), tmp.resolve("cache"),
        tmp.resolve("out"), N);
    Map<String, Object> rejected = LlmRuns.accounted(r, N);
    assertEquals(N, ((Number) rejected.get("llm_schema_invalid")).intValue(),
        rejected::toString);
    assertTrue(stub.requests("plan") >= N);
  }
}
