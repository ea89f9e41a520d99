package io.convoforge.family.csvagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.TestSupport;
import io.convoforge.core.model.Json;
import io.convoforge.core.run.Job;
import io.convoforge.testing.StubLlmServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipe on the openai backend through the real OpenAI SDK against the stub on 127.0.0.1:
 * the model proposes the questions and solves each step by step with real SQL, each trace its
 * own (cached) calls: were the traces one cache entry, the stub would see 4 solve calls, not 12.
 */
class CsvAgentStubTest {
  @TempDir Path tmp;

  private Job.Result run(StubLlmServer stub, String out) {
    Path csv = CsvAgentTesting.shipments(tmp.resolve("csv"), 60);
    return Job.run(new Job.Request(CsvAgentTesting.RECIPE, List.of("backend=openai",
        "llm.base_url=" + stub.openAiUrl(), "llm.cache=" + tmp.resolve("cache"),
        "llm.timeout_seconds=2", "llm.backoff_ms=20", "llm.max_buffering_ms=100",
        "datasets=" + csv, "questions.sources=[llm]", "questions.llm_per_dataset=2",
        "episodes.n_consistency=3", "stages=[datasets,questions,episodes,judge,filter]"),
        null, tmp.resolve(out), true, List.of()));
  }

  @Test
  void theModelProposesAndSolvesEachTraceThroughTheSdk() throws Exception {
    try (StubLlmServer stub = StubLlmServer.start(2)) {
      Job.Result r = run(stub, "out1");
      assertEquals(2L, r.report().get("accepted"), String.valueOf(r.report().get("rejected")));
      // 1 questions call; 2 questions x 3 traces x (one SQL step + the answer); 2 judge calls.
      // The cache is on: traces sharing one cache entry would make 4 solve calls.
      assertEquals(1, stub.requests("questions"));
      assertEquals(12, stub.requests("solve"));
      assertEquals(2, stub.requests("judge"));
      for (String line : TestSupport.lines(r.out(), "conversations*.jsonl")) {
        JsonNode e = Json.parse(line);
        assertEquals("llm", e.path("question").path("source").asText());
        assertEquals(60, e.path("answer").asInt(), "the count the sandbox returned");
        assertEquals(1.0, e.path("verification").path("agreement").asDouble());
        assertTrue(e.path("lineage").path("teacher").asText().startsWith("gpt-"), line);
      }
    }
  }
}
