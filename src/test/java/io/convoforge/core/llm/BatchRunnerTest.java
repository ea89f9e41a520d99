package io.convoforge.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.llm.BatchScope.Pending;
import io.convoforge.core.llm.BatchScope.Settled;
import io.convoforge.core.model.Json;
import io.convoforge.testing.StubBatches;
import io.convoforge.testing.StubLlmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BatchRunner} through the real SDKs against the stub's batch endpoints, one test per
 * failure class: every request ends answered or rejected with its reason, resubmissions are
 * bounded, and nothing is submitted twice.
 */
class BatchRunnerTest {
  private static final int N = 8;
  private static final JsonNode PLAN_SCHEMA = Json.tree(Map.of("type", "object", "properties",
      Map.of("steps", Map.of("type", "array", "items", Map.of("type", "object", "properties",
          Map.of("tool", Map.of("type", "string"), "purpose", Map.of("type", "string")))))));
  @TempDir Path tmp;
  private StubLlmServer stub;

  @BeforeEach
  void start() throws Exception {
    stub = StubLlmServer.start(0);
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  /** A batch-mode session of stage plan on {@code provider} against the stub. */
  private LlmSession session(String provider, Object... extra) {
    Map<String, Object> v = new HashMap<>();
    v.put("base_url", "openai".equals(provider) ? stub.openAiUrl() : stub.genAiUrl());
    v.put("cache", tmp.resolve("cache").toString());
    v.put("mode", "batch");
    v.put("backoff_ms", 1);
    v.put("max_attempts", 2);
    v.put("project", "test-project");
    v.put("location", "us-central1");
    Map<String, Object> batch = new HashMap<>(Map.of("poll_ms", 1, "poll_max_ms", 4,
        "staging", tmp.resolve("staging").toString()));
    for (int i = 0; i < extra.length; i += 2) {
      batch.put((String) extra[i], extra[i + 1]);
    }
    v.put("batch", batch);
    LlmSettings s = LlmSettings.of(provider, v);
    return new LlmSession(s, null, LlmBackend.client(s), "plan", "run-" + System.nanoTime(),
        LlmBackend.batchApis(s));
  }

  private static List<Pending> requests(LlmSession session, int n) {
    List<Pending> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      LlmRequest r = new LlmRequest("plan", session.model(), 0.0, null, 256, "Plan it.",
          List.of("Element " + i + ": call the tools in this order: create_client -> get_client"),
          "convoforge_plan", PLAN_SCHEMA);
      String id = "e" + i;
      out.add(new Pending(ResponseCache.key(session.settings().provider(),
          session.settings().baseUrl(), id, 0, r), id, 0, r, session));
    }
    return out;
  }

  private static void assertAnswered(Settled s) throws Exception {
    assertNotNull(s.reply(), () -> s.reason() + ": " + s.detail());
    assertEquals("create_client", Json.MAPPER.readTree(s.reply().text()).path("steps").path(0)
        .path("tool").asText());
  }

  private Map<String, Settled> run(LlmSession session, List<Pending> asked) {
    return new BatchRunner(session).run(asked, false);
  }

  @Test
  void oneBatchAnswersEveryRequestAndCachesIt() throws Exception {
    LlmSession session = session("openai");
    List<Pending> asked = requests(session, N);
    Map<String, Settled> out = run(session, asked);
    for (Pending p : asked) {
      assertAnswered(out.get(p.key()));
      assertNotNull(session.cache().get(p.key()), "cached");
    }
    assertEquals(1, stub.batches().calls("upload"));
    assertEquals(1, stub.batches().calls("create"));
    assertEquals(1, stub.batches().calls("download"), "an output file, no error file");
    assertEquals(N, stub.requests("plan"), "one answer per request");
    assertEquals(List.of("collected"), manifestStates());
    run(session, asked);
    assertEquals(1, stub.batches().calls("create"), "answered from the cache");
  }

  @Test
  void failedMissingAndMalformedLinesAreResubmittedOnce() throws Exception {
    stub.batches().fault(StubBatches.Fault.FAIL_LINES, 2).fault(StubBatches.Fault.DROP_LINES, 1)
        .fault(StubBatches.Fault.MALFORMED_LINES, 1)
        .fault(StubBatches.Fault.MALFORMED_BODIES, 1);
    LlmSession session = session("openai");
    List<Pending> asked = requests(session, N);
    Map<String, Settled> out = run(session, asked);
    for (Pending p : asked) {
      assertAnswered(out.get(p.key()));
    }
    assertEquals(2, stub.batches().calls("create"), "the five failed lines in a second batch");
    assertEquals(5, stub.batches().lines() - N);
    assertEquals(List.of("collected", "collected"), manifestStates());
  }

  @Test
  void anExpiredBatchKeepsItsAnswersAndResubmitsTheRest() throws Exception {
    stub.batches().fault(StubBatches.Fault.EXPIRE, 1);
    LlmSession session = session("openai");
    List<Pending> asked = requests(session, N);
    Map<String, Settled> out = run(session, asked);
    for (Pending p : asked) {
      assertAnswered(out.get(p.key()));
    }
    assertEquals(2, stub.batches().calls("create"));
    assertEquals(N / 2, stub.batches().lines() - N, "only the unanswered half again");
  }

  @Test
  void requestsFailingEverySubmissionAreRejectedWithTheLastReason() {
    stub.batches().fault(StubBatches.Fault.FAIL_LINES, 1000);
    LlmSession session = session("openai", "max_submissions", 2);
    List<Pending> asked = requests(session, 3);
    Map<String, Settled> out = run(session, asked);
    for (Pending p : asked) {
      Settled s = out.get(p.key());
      assertNull(s.reply());
      assertEquals("llm_unavailable", s.reason());
      assertTrue(s.detail().startsWith("plan: no answer after 2 batch submissions; last: HTTP"
          + " 500 (batch batch_"), s.detail());
    }
    assertEquals(2, stub.batches().calls("create"));
  }

  @Test
  void aRefusedLineIsRejectedAtOnce() throws Exception {
    stub.batches().fault(StubBatches.Fault.REFUSE_LINES, 1);
    LlmSession session = session("openai");
    List<Pending> asked = requests(session, N);
    Map<String, Settled> out = run(session, asked);
    long refused = out.values().stream().filter(s -> "llm_error".equals(s.reason())).count();
    assertEquals(1, refused, out::toString);
    assertTrue(out.values().stream().filter(s -> s.reply() == null).allMatch(
        s -> s.detail().matches("plan: batch batch_\\d+: HTTP 400")), out::toString);
    assertEquals(1, stub.batches().calls("create"), "a 400 is not resubmitted");
  }

  @Test
  void aFailedBatchIsResubmitted() throws Exception {
    stub.batches().fault(StubBatches.Fault.FAIL_BATCH, 1);
    LlmSession session = session("openai");
    List<Pending> asked = requests(session, N);
    Map<String, Settled> out = run(session, asked);
    for (Pending p : asked) {
      assertAnswered(out.get(p.key()));
    }
    assertEquals(2, stub.batches().calls("create"));
  }

  @Test
  void aBatchLeftSubmittingIsFoundAtTheProviderNotSubmittedAgain() throws Exception {
    LlmSession session = session("openai");
    List<Pending> asked = requests(session, N);
    // A run killed between the create and recording the id: the manifest says submitting.
    Map<String, Integer> numbers = new java.util.TreeMap<>();
    java.util.SortedMap<String, LlmRequest> requests = new java.util.TreeMap<>();
    for (Pending p : asked) {
      numbers.put(p.key(), 1);
      requests.put(p.key(), p.request());
    }
    BatchBook.Manifest m = BatchBook.plan("openai", "plan", session.model(), numbers);
    BatchBook.of(session.settings().cacheDir(), "openai", "plan").save(m);
    session.batchApi().submit(m.id(), session.model(), requests);
    Map<String, Settled> out = run(session, asked);
    for (Pending p : asked) {
      assertAnswered(out.get(p.key()));
    }
    assertEquals(1, stub.batches().calls("create"), "found by its metadata, not resubmitted");
    assertEquals(1, stub.batches().calls("list"));
  }

  @Test
  void aSmallFollowUpGoesOnline() throws Exception {
    LlmSession session = session("openai", "online_max", 3);
    List<Pending> asked = requests(session, 3);
    Map<String, Settled> out = new BatchRunner(session).run(asked, true);
    for (Pending p : asked) {
      assertAnswered(out.get(p.key()));
    }
    assertEquals(0, stub.batches().calls("create"));
    assertTrue(stub.paths().contains("/v1/chat/completions"));
  }

  @Test
  void geminiInlinedBatchesResubmitFailedAndMissingResults() throws Exception {
    stub.batches().fault(StubBatches.Fault.FAIL_LINES, 1).fault(StubBatches.Fault.DROP_LINES, 1)
        .fault(StubBatches.Fault.REFUSE_LINES, 1).pollsToFinish(2);
    LlmSession session = session("gemini");
    List<Pending> asked = requests(session, N);
    Map<String, Settled> out = run(session, asked);
    assertEquals(1, out.values().stream().filter(s -> "llm_error".equals(s.reason())).count(),
        out::toString);
    assertEquals(N - 1, out.values().stream().filter(s -> s.reply() != null).count());
    assertEquals(2, stub.batches().calls("create"));
    assertTrue(stub.batches().calls("poll") >= 4, "two polls a batch");
  }

  @Test
  void vertexJobsReadAndWriteTheStagingFolder() throws Exception {
    stub.batches().fault(StubBatches.Fault.MALFORMED_LINES, 1)
        .fault(StubBatches.Fault.FAIL_LINES, 1).fault(StubBatches.Fault.EXPIRE, 1);
    LlmSession session = session("vertex");
    List<Pending> asked = requests(session, N);
    Map<String, Settled> out = run(session, asked);
    for (Pending p : asked) {
      assertAnswered(out.get(p.key()));
    }
    assertEquals(2, stub.batches().calls("create"));
    try (Stream<Path> f = Files.walk(tmp.resolve("staging"))) {
      assertEquals(4, f.filter(p -> p.toString().endsWith(".jsonl")).count(),
          "an input and a predictions file per job");
    }
  }

  /** The states of the stage's manifests, in file name order. */
  private List<String> manifestStates() throws Exception {
    List<String> states = new ArrayList<>();
    try (Stream<Path> files = Files.list(tmp.resolve("cache/batches/openai/plan"))) {
      for (Path f : files.sorted().toList()) {
        states.add(Json.MAPPER.readTree(f.toFile()).path("state").asText());
      }
    }
    return states;
  }
}
