package io.convoforge.family.tooluse.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.run.Job;
import io.convoforge.testing.StubLlmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The openai backend end to end through the real SDK against a stub on 127.0.0.1. */
class OpenAiBackendTest {
  private static final int N = 6;
  @TempDir Path tmp;
  private StubLlmServer stub;

  @BeforeEach
  void start() throws Exception {
    stub = StubLlmServer.start(5);
  }

  @AfterEach
  void stop() {
    stub.close();
    System.clearProperty("convoforge.dotenv");
  }

  @Test
  void writesEveryElementAndASecondRunMakesNoCalls() throws Exception {
    Job.Result first = LlmRuns.run("openai", stub.openAiUrl(), tmp.resolve("cache"),
        tmp.resolve("out1"), N);
    LlmRuns.accounted(first, N);
    int calls = stub.requests();
    assertTrue(calls >= N, "at least one call per element: " + calls);
    assertTrue(stub.maxInFlight() <= 4, "--max-concurrency 4 holds at the server: "
        + stub.maxInFlight());
    assertEquals(N, ((Number) first.report().get("accepted")).intValue(),
        () -> String.valueOf(first.report().get("rejected")));
    String out = text(first.out(), "conversations");
    assertTrue(out.contains("(stub) "), "the model wrote the dialogue");
    assertTrue(out.contains("\"prompts\""), "prompt versions in lineage");
    assertTrue(out.contains("\"faithfulness\""), "the model's judgement is recorded");

    Job.Result second = LlmRuns.run("openai", stub.openAiUrl(), tmp.resolve("cache"),
        tmp.resolve("out2"), N);
    LlmRuns.accounted(second, N);
    assertEquals(calls, stub.requests(), "the rerun is served from the cache");
    assertEquals(calls, ((Number) total(first).get("calls")).intValue(), "calls in report.json");
    assertEquals(0, ((Number) total(second).get("calls")).intValue());
    assertEquals(calls, ((Number) total(second).get("cache_hits")).intValue());
    assertTrue(((Number) total(first).get("tokens_in")).longValue() > 0);
    assertTrue(((Number) total(first).get("est_cost_usd")).doubleValue() > 0,
        "priced from conf/openai.yaml");
    assertEquals(N, ((Number) second.report().get("accepted")).intValue());
  }

  @Test
  void theKeyIsSentButNeverWrittenAnywhere() throws Exception {
    String key = "sk-test-FAKEKEY-0123456789";
    Path env = tmp.resolve("dotenv");
    Files.writeString(env, "OPENAI_API_KEY=" + key + "\n");
    System.setProperty("convoforge.dotenv", env.toString());
    Job.Result r = LlmRuns.run("openai", stub.openAiUrl(), tmp.resolve("cache"),
        tmp.resolve("out"), 3);
    LlmRuns.accounted(r, 3);
    assertTrue(stub.authHeaders().stream().allMatch(h -> h.contains("Bearer " + key)),
        "the key reaches the server");
    try (Stream<Path> files = Stream.concat(Files.walk(r.out()),
        Files.walk(tmp.resolve("cache")))) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        assertFalse(Files.readString(f).contains(key), "key leaked into " + f);
        assertFalse(Files.readString(f).contains("FAKEKEY"), "key leaked into " + f);
      }
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> total(Job.Result r) {
    return (Map<String, Object>) ((Map<String, Object>) r.report().get("llm")).get("total");
  }

  /** All the files of one kind (every shard), concatenated in name order. */
  static String text(Path dir, String prefix) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted()
          .toList()) {
        sb.append(Files.readString(p));
      }
    }
    return sb.toString();
  }

  static Map<String, Object> rejected(Job.Result r) {
    return LlmRuns.accounted(r, ((Number) r.report().get("sampled")).intValue());
  }
}
