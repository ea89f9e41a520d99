package io.convoforge.family.tooluse.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.TestSupport;
import io.convoforge.core.run.Job;
import io.convoforge.testing.StubLlmServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --llm-mode batch} end to end: the CRM recipe through the real SDKs' batch APIs against
 * the stub, compared with the online mode on the same stub answers.
 */
class BatchModeTest {
  static final String[] FAST = {"llm.mode=batch", "llm.batch.poll_ms=5",
      "llm.batch.poll_max_ms=40", "llm.batch.max_buffering_ms=2000"};
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
  }

  @Test
  void openAiBatchWritesTheSameConversationsAsOnline() {
    Job.Result online = LlmRuns.run("openai", stub.openAiUrl(), tmp.resolve("c1"),
        tmp.resolve("online"), N);
    int onlineCalls = stub.requests();
    Job.Result batch = LlmRuns.run("openai", stub.openAiUrl(), tmp.resolve("c2"),
        tmp.resolve("batch"), N, FAST);
    LlmRuns.accounted(batch, N);
    List<String> a = sorted(online.out());
    List<String> b = sorted(batch.out());
    assertEquals(N, b.size(), () -> String.valueOf(batch.report().get("rejected")));
    System.out.println("online " + online.pipelineSeconds() + " batch " + batch.pipelineSeconds());
    System.out.println(batch.report().get("batch"));
    System.out.println(batch.report().get("llm"));
    assertEquals(a, b, "byte-identical conversations");
    System.out.println(batch.report().get("batch"));
    System.out.println(onlineCalls + " " + stub.requests());
  }

  static List<String> sorted(Path dir) {
    return TestSupport.lines(dir, "conversations*.jsonl").stream().sorted().toList();
  }
}
