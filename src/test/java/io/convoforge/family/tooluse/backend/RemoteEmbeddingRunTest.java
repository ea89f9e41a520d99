package io.convoforge.family.tooluse.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.run.Job;
import io.convoforge.testing.StubLlmServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CRM run with offline generation and remote embeddings against a stub on 127.0.0.1. */
class RemoteEmbeddingRunTest {
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
  void crmRunWithOfflineGenerationAndOpenAiEmbeddingsAccountsForEveryElement() {
    int n = 6;
    String[] extra = {"embed.provider=openai", "embed.model=text-embedding-3-small",
        "stages=[sample, plan, args, utterances, judge, filter, embed, dedup]"};
    Job.Result first = LlmRuns.run("offline", stub.openAiUrl(), tmp.resolve("cache"),
        tmp.resolve("out1"), n, extra);
    LlmRuns.accounted(first, n);
    int embedCalls = stub.requests(StubLlmServer.EMBED);
    assertTrue(embedCalls >= 1, "the embed stage called the endpoint");
    assertEquals(embedCalls, stub.requests(), "offline generation makes no chat calls");
    assertTrue(stub.embeddedTexts() >= 1 && stub.embeddedTexts() <= n,
        "at most one text per conversation: " + stub.embeddedTexts());
    Map<String, Object> embed = embedStage(first);
    assertEquals(embedCalls, ((Number) embed.get("calls")).intValue(), embed::toString);
    assertTrue(((Number) embed.get("tokens_in")).longValue() > 0, embed::toString);

    Map<String, Object> total = OpenAiBackendTest.total(first);
    assertEquals(embedCalls, ((Number) total.get("calls")).intValue(), "in the run's total");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> embedStage(Job.Result r) {
    Map<String, Object> llm = (Map<String, Object>) r.report().get("llm");
    assertTrue(llm != null, "report.json has an llm section");
    return (Map<String, Object>) ((Map<String, Object>) llm.get("stages")).get("embed");
  }

}
