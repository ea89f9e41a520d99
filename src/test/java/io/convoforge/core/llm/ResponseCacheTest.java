package io.convoforge.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content addressing and atomic writes of the response cache. */
class ResponseCacheTest {
  @TempDir Path tmp;

  private static LlmRequest req(String model, String msg) {
    return new LlmRequest("plan", model, 0.7, null, 100, "sys", List.of(msg), "convoforge_plan",
        Json.MAPPER.createObjectNode().put("type", "object"));
  }

  @Test
  void keysDependOnTheElementTheRoundAndEveryPartOfTheRequest() {
    String k = ResponseCache.key("openai", null, "e1", 0, req("m", "hi"));
    assertEquals(k, ResponseCache.key("openai", null, "e1", 0, req("m", "hi")));
    assertNotEquals(k, ResponseCache.key("openai", null, "e2", 0, req("m", "hi")),
        "two elements with the same prompt each get their own sample");
    assertNotEquals(k, ResponseCache.key("openai", null, "e1", 1, req("m", "hi")));
    assertNotEquals(k, ResponseCache.key("openai", null, "e1", 0, req("m2", "hi")));
    assertNotEquals(k, ResponseCache.key("openai", null, "e1", 0, req("m", "hello")));
    assertNotEquals(k, ResponseCache.key("gemini", null, "e1", 0, req("m", "hi")));
    assertNotEquals(k, ResponseCache.key("openai", "http://x/v1", "e1", 0, req("m", "hi")));
  }

  @Test
  void entriesRoundTripAndNoTemporaryFileIsLeft() throws Exception {
    ResponseCache c = new ResponseCache(tmp.toString());
    String k = ResponseCache.key("openai", null, "e1", 0, req("m", "hi"));
    assertNull(c.get(k));
    c.put(k, new LlmReply("{\"a\":1}", "stop", 10, 2));
    assertEquals(new LlmReply("{\"a\":1}", "stop", 10, 2), c.get(k));
    try (Stream<Path> s = Files.walk(tmp)) {
      List<Path> files = s.filter(Files::isRegularFile).toList();
      assertEquals(1, files.size(), files.toString());
      assertTrue(files.get(0).getFileName().toString().equals(k + ".json"));
    }
  }
}
