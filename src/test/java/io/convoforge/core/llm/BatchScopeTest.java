package io.convoforge.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.model.Json;
import io.convoforge.core.model.RejectException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch scope's passes with an in-memory batch API: an element's independent asks share one
 * batch, and its re-asks are a follow-up batch, or online calls when few.
 */
class BatchScopeTest {
  @TempDir Path tmp;

  /** A batch API in memory: answers {@code {"reply": ...}}, first asks optionally broken. */
  static final class MemoryBatches implements BatchApi {
    final List<List<String>> submitted = new ArrayList<>();
    final boolean breakFirstAsks;
    private final Map<String, SortedMap<String, LlmRequest>> batches = new HashMap<>();

    MemoryBatches(boolean breakFirstAsks) {
      this.breakFirstAsks = breakFirstAsks;
    }

    @Override
    public int maxRequests() {
      return 1000;
    }

    @Override
    public long maxBytes() {
      return Long.MAX_VALUE;
    }

    @Override
    public String submit(String manifestId, String model,
        SortedMap<String, LlmRequest> requests) {
      submitted.add(new ArrayList<>(requests.keySet()));
      batches.put("b" + submitted.size(), requests);
      return "b" + submitted.size();
    }

    @Override
    public String find(String manifestId) {
      return null;
    }

    @Override
    public Polled poll(String batchId) {
      return new Polled(State.SUCCEEDED, null, batchId);
    }

    @Override
    public Results results(Polled finished, String manifestId, Map<String, LlmRequest> known) {
      Map<String, Line> lines = new HashMap<>();
      batches.get((String) finished.handle()).forEach((k, r) -> lines.put(k,
          Line.ok(answer(r, breakFirstAsks))));
      return new Results(lines, 0);
    }
  }

  static LlmReply answer(LlmRequest r, boolean breakFirstAsks) {
    String text = breakFirstAsks && r.messages().size() == 1 ? "{}"
        : Json.write(Map.of("reply", "ok: " + r.messages().get(0).strip()));
    return new LlmReply(text, "stop", 10, 5);
  }

  private LlmSession session(MemoryBatches api, AtomicInteger online, int onlineMax) {
    LlmSettings s = LlmSettings.of("openai", Map.of("cache",
        tmp.resolve("cache-" + onlineMax).toString(),
        "mode", "batch", "batch", Map.of("poll_ms", 1, "online_max", onlineMax)));
    LlmClient client = r -> {
      online.incrementAndGet();
      return answer(r, false);
    };
    Prompts prompts = Prompts.load("src/test/resources/transforms", "test-echo",
        List.of("answer"), List.of());
    return new LlmSession(s, prompts, client, "answer", "scope-" + System.nanoTime(),
        c -> api);
  }

  /** A stage asking three independent questions for one element, rejecting children one by one. */
  private static List<String> converse(LlmSession session) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      try {
        out.add(session.ask("answer", Map.of("text", "question " + k), "e-d" + k,
            LlmSession.Check.NONE).path("reply").asText());
      } catch (RejectException e) {
        out.add("rejected: " + e.reason());
      }
    }
    return out;
  }

  @Test
  void independentAsksOfOneElementShareOneBatch() {
    MemoryBatches api = new MemoryBatches(false);
    LlmSession session = session(api, new AtomicInteger(), 16);
    try (BatchScope scope = BatchScope.open()) {
      scope.startPass();
      converse(session);
      assertTrue(scope.passWaits(), "the first pass waits for its answers");
      scope.settle();
      scope.startPass();
      List<String> replies = converse(session);
      assertFalse(scope.passWaits());
      assertEquals(List.of("ok: Reply to: question 0", "ok: Reply to: question 1",
          "ok: Reply to: question 2"), replies);
    }
    assertEquals(1, api.submitted.size());
    assertEquals(3, api.submitted.get(0).size());
  }

  @Test
  void reAsksAreAFollowUpBatchWhenManyAndOnlineWhenFew() {
    for (int onlineMax : new int[] {0, 16}) {
      MemoryBatches api = new MemoryBatches(true);
      AtomicInteger online = new AtomicInteger();
      LlmSession session = session(api, online, onlineMax);
      List<String> replies = null;
      try (BatchScope scope = BatchScope.open()) {
        for (int pass = 0; pass < 3; pass++) {
          scope.startPass();
          replies = converse(session);
          if (!scope.passWaits()) {
            break;
          }
          scope.settle();
        }
      }
      assertEquals("ok: Reply to: question 1", replies.get(1), "repaired by the re-ask");
      assertEquals(onlineMax == 0 ? 2 : 1, api.submitted.size(), "online_max " + onlineMax);
      assertEquals(onlineMax == 0 ? 0 : 3, online.get(), "online_max " + onlineMax);
    }
  }
}
