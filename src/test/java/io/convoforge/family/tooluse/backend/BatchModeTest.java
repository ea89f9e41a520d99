package io.convoforge.family.tooluse.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.TestSupport;
import io.convoforge.core.input.JsonSchemas;
import io.convoforge.core.model.Json;
import io.convoforge.core.run.Job;
import io.convoforge.testing.StubLlmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --llm-mode batch} end to end: the CRM recipe through the real SDKs' batch APIs against
 * the stub, compared with the online mode on the same stub answers; a killed client picked up by
 * its rerun; the Gemini API and Vertex AI.
 */
class BatchModeTest {
  static final String[] FAST = {"llm.mode=batch", "llm.batch.poll_ms=5",
      "llm.batch.poll_max_ms=40"};
  static final String GENERATION = "stages=[sample,plan,args,utterances,judge,filter]";
  private static final int N = 6;
  @TempDir Path tmp;
  private StubLlmServer stub;

  @BeforeEach
  void start() throws Exception {
    stub = StubLlmServer.start(1);
  }

  @AfterEach
  void stop() {
    stub.close();
    System.clearProperty("convoforge.dotenv");
  }

  @Test
  void openAiBatchWritesTheSameDatasetAsOnlineAtHalfThePrice() throws Exception {
    String key = "sk-test-FAKEKEY-batch-0123456789";
    Files.writeString(tmp.resolve("dotenv"), "OPENAI_API_KEY=" + key + "\n");
    System.setProperty("convoforge.dotenv", tmp.resolve("dotenv").toString());
    Job.Result online = LlmRuns.run("openai", stub.openAiUrl(), tmp.resolve("c1"),
        tmp.resolve("online"), N);
    int onlineAnswers = stub.requests("plan") + stub.requests("args")
        + stub.requests("utterances") + stub.requests("judge");
    Job.Result batch = LlmRuns.run("openai", stub.openAiUrl(), tmp.resolve("c2"),
        tmp.resolve("batch"), N, FAST);
    LlmRuns.accounted(batch, N);
    assertEquals(N, ((Number) batch.report().get("accepted")).intValue(),
        () -> String.valueOf(batch.report().get("rejected")));
    assertEquals(sorted(online.out()), sorted(batch.out()), "byte-identical conversations");

    Map<String, Object> b = section(batch, "batch");
    assertEquals(4L, b.get("batches"), "one batch for each of plan, args, utterances, judge");
    assertEquals(b.get("requests"), b.get("answered"));
    assertEquals(0L, b.get("failed"));
    assertEquals(0L, b.get("resubmitted"));
    assertEquals(2 * onlineAnswers, stub.requests("plan") + stub.requests("args")
        + stub.requests("utterances") + stub.requests("judge"), "as many answers as online");
    assertEquals(0L, section(batch, "llm").get("calls"), "no chat call in batch mode");
    double onlineCost = ((Number) section(online, "llm").get("est_cost_usd")).doubleValue();
    double batchCost = ((Number) b.get("est_cost_usd")).doubleValue();
    assertEquals(onlineCost / 2, batchCost, onlineCost * 0.01, "batch_discount 0.5");
    assertEquals(batchCost, ((Number) section(batch, "llm").get("est_cost_usd")).doubleValue(),
        1e-9, "the llm section's cost is the run's");
    assertEquals(List.of(), JsonSchemas.violations(JsonSchemas.compile(Json.parse(
        Files.readString(Path.of("schemas/report.schema.json")))),
        Json.parse(Files.readString(batch.out().resolve("report.json")))),
        "the llm and batch sections are the ones schemas/report.schema.json describes");
    assertTrue(stub.authHeaders().stream().allMatch(h -> h.contains("Bearer " + key)));
    try (Stream<Path> files = Stream.concat(Files.walk(batch.out()),
        Files.walk(tmp.resolve("c2")))) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        assertFalse(Files.readString(f).contains("FAKEKEY"), "key leaked into " + f);
      }
    }
  }

  @Test
  void aKilledRunIsPickedUpByItsRerunWithoutSubmittingAgain() throws Exception {
    stub.batches().hold();
    Path cache = tmp.resolve("cache");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
        "java").toString(), "-cp", System.getProperty("java.class.path"),
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        "io.convoforge.cli.Main", "run", LlmRuns.RECIPE.toString(), "--backend", "openai",
        "--base-url", stub.openAiUrl(), "--cache", cache.toString(), "--count", "4",
        "--out", tmp.resolve("killed").toString(), "--llm-mode", "batch"));
    for (String s : new String[] {GENERATION, FAST[1], FAST[2]}) {
      cmd.add("--set");
      cmd.add(s);
    }
    Process first = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("first.log").toFile()).start();
    try {
      assertTrue(stub.batches().awaitFirstPoll(180), "the first run submitted its batch");
    } finally {
      first.destroyForcibly().waitFor();
    }
    assertEquals(1, stub.batches().created("plan"));
    stub.batches().release();
    Job.Result r = LlmRuns.run("openai", stub.openAiUrl(), cache, tmp.resolve("rerun"), 4,
        GENERATION, FAST[0], FAST[1], FAST[2]);
    LlmRuns.accounted(r, 4);
    assertEquals(4, ((Number) r.report().get("accepted")).intValue());
    assertEquals(1, stub.batches().created("plan"), "the rerun polled the killed run's batch");
    assertEquals(1, stub.batches().created("args"));
  }

  @Test
  void geminiAndVertexBatchesWriteEveryElement() throws Exception {
    for (String backend : new String[] {"gemini", "vertex"}) {
      Job.Result r = LlmRuns.run(backend, stub.genAiUrl(), tmp.resolve("cache-" + backend),
          tmp.resolve(backend), 3, GENERATION, FAST[0], FAST[1], FAST[2]);
      LlmRuns.accounted(r, 3);
      assertEquals(3, ((Number) r.report().get("accepted")).intValue(),
          () -> String.valueOf(r.report().get("rejected")));
      assertEquals(4L, section(r, "batch").get("batches"), backend);
    }
    assertTrue(Files.isDirectory(tmp.resolve("cache-vertex/batch-io")),
        "Vertex AI jobs read and wrote their staging folder");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> section(Job.Result r, String name) {
    Map<String, Object> s = (Map<String, Object>) r.report().get(name);
    assertTrue(s != null, "report.json has a " + name + " section");
    return (Map<String, Object>) s.get("total");
  }

  static List<String> sorted(Path dir) {
    return TestSupport.lines(dir, "conversations*.jsonl").stream().sorted().toList();
  }
}
