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

/**
 * One test per fault class of the stub, through the real OpenAI SDK: each element is retried,
 * repaired or rejected with its reason, and sampled == accepted + Σ rejected every time.
 */
class LlmFaultsTest {
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

  private Job.Result run(String... extra) {
    return LlmRuns.run("openai", stub.openAiUrl(), tmp.resolve("cache"), tmp.resolve("out"), N,
        extra);
  }

  private static int accepted(Job.Result r) {
    return ((Number) r.report().get("accepted")).intValue();
  }

  @Test
  void rateLimitedCallsHonourRetryAfterAndAreRetried() {
    stub.retryAfterSeconds(0.3).fault(Fault.RATE_LIMIT, "plan", 3);
    long t0 = System.nanoTime();
    Job.Result r = run();
    Map<String, Object> rejected = LlmRuns.accounted(r, N);
    assertEquals(N, accepted(r), () -> "rejected " + rejected);
    assertEquals(N + 3, stub.requests("plan"), "three 429s, three retries");
    assertTrue(System.nanoTime() - t0 > 300_000_000L, "waited for Retry-After");
  }

  @Test
  void serverErrorsBackOffAndAreRetried() {
    stub.fault(Fault.SERVER_ERROR, "plan", 2);
    Job.Result r = run();
    LlmRuns.accounted(r, N);
    assertEquals(N, accepted(r));
    assertEquals(N + 2, stub.requests("plan"));
  }

  @Test
  void timeoutsAreRetried() {
    // One answer held back past the client's timeout (short here, generous in the other tests,
    // where a loaded machine must not turn a slow answer into a retry the stub would count).
    stub.timeoutSleepMillis(5000).fault(Fault.TIMEOUT, "judge", 1);
    Job.Result r = run("llm.timeout_seconds=2");
    LlmRuns.accounted(r, N);
    assertEquals(N, accepted(r));
    assertEquals(N + 1, stub.requests("judge"));
  }

  @Test
  void persistentServerErrorsEndAsRejectedAfterBoundedAttempts() throws Exception {
    stub.fault(Fault.SERVER_ERROR, "judge", -1);
    Job.Result r = run("llm.max_attempts=3");
    Map<String, Object> rejected = LlmRuns.accounted(r, N);
    assertEquals(N, ((Number) rejected.get("llm_unavailable")).intValue(), rejected::toString);
    assertEquals(3 * N, stub.requests("judge"));
    assertTrue(OpenAiBackendTest.text(r.out(), "rejected")
        .contains("gave up after 3 attempts; last error: HTTP 500"));
  }

  @Test
  void malformedJsonIsRepairedByAReAsk() {
    stub.faultFirstAsk(Fault.MALFORMED_JSON, "utterances");
    Job.Result r = run();
    LlmRuns.accounted(r, N);
    assertEquals(N, accepted(r));
    assertEquals(2 * N, stub.requests("utterances"), "one re-ask per element");
  }

  @Test
  void malformedJsonTwiceIsRejectedWithTheRawResponse() throws Exception {
    stub.fault(Fault.MALFORMED_JSON, "utterances", -1);
    Job.Result r = run();
    Map<String, Object> rejected = LlmRuns.accounted(r, N);
    assertEquals(N, ((Number) rejected.get("llm_invalid_json")).intValue(), rejected::toString);
    String rej = OpenAiBackendTest.text(r.out(), "rejected");
    assertTrue(rej.contains("\"raw_response\":\"{\\\"steps\\\": [ this is not JSON\""), rej);
  }

  @Test
  void schemaBreakingJsonIsRejectedWithTheViolations() throws Exception {
    stub.fault(Fault.SCHEMA_BREAKING, "plan", -1);
    Job.Result r = run();
    Map<String, Object> rejected = LlmRuns.accounted(r, N);
    assertEquals(N, ((Number) rejected.get("llm_schema_invalid")).intValue(),
        rejected::toString);
    assertEquals(2 * N, stub.requests("plan"), "asked once more with the violations");
    String rej = OpenAiBackendTest.text(r.out(), "rejected");
    assertTrue(rej.contains("\"stage\":\"plan\""));
    assertTrue(rej.contains("{\\\"unexpected\\\": true}"));
  }

  @Test
  void schemaBreakingJsonIsRepairedByAReAsk() {
    stub.faultFirstAsk(Fault.SCHEMA_BREAKING, "judge");
    Job.Result r = run();
    LlmRuns.accounted(r, N);
    assertEquals(N, accepted(r));
    assertEquals(2 * N, stub.requests("judge"));
  }

  @Test
  void aRunResumedAfterFailuresMakesOnlyTheMissingCalls() {
    // The first run dies at judge (every judge call fails); everything before it is cached.
    stub.fault(Fault.SERVER_ERROR, "judge", -1);
    LlmRuns.accounted(run("llm.max_attempts=1"), N);
    int plan = stub.requests("plan");
    int utterances = stub.requests("utterances");
    int judge = stub.requests("judge");
    stub.clearFaults();
    Job.Result r = LlmRuns.run("openai", stub.openAiUrl(), tmp.resolve("cache"),
        tmp.resolve("out2"), N);
    LlmRuns.accounted(r, N);
    assertEquals(N, accepted(r));
    assertEquals(plan, stub.requests("plan"), "no plan call repeated");
    assertEquals(utterances, stub.requests("utterances"), "no utterances call repeated");
    assertEquals(judge + N, stub.requests("judge"), "only the judge calls are made");
  }

  @Test
  void truncatedAnswersAreRejectedAsTruncated() {
    stub.fault(Fault.LENGTH, "judge", -1);
    Job.Result r = run();
    Map<String, Object> rejected = LlmRuns.accounted(r, N);
    assertEquals(N, ((Number) rejected.get("llm_truncated")).intValue(), rejected::toString);
  }
}
