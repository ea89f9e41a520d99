package io.convoforge.core.llm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.embed.Embedded;
import io.convoforge.core.embed.Embedder;
import io.convoforge.core.embed.EmbedderFactory;
import io.convoforge.core.embed.Embedders;
import io.convoforge.core.embed.Vectors;
import io.convoforge.core.input.InputException;
import io.convoforge.testing.StubLlmServer;
import io.convoforge.testing.StubLlmServer.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The openai, gemini and vertex embedders through the real SDKs against a stub on 127.0.0.1. */
class RemoteEmbedderTest {
  private static final List<String> TEXTS = List.of("Create a contact named Ada.",
      "Delete the Globex deal.", "Create a contact named Ada.", "");
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

  private EmbedderFactory factory(String provider, Object... embed) {
    Map<String, Object> llm = new LinkedHashMap<>();
    llm.put("base_url", "openai".equals(provider) ? stub.openAiUrl() : stub.genAiUrl());
    llm.put("cache", tmp.resolve("cache").toString());
    llm.put("backoff_ms", 20);
    llm.put("timeout_seconds", 2);
    llm.put("max_attempts", 3);
    if ("vertex".equals(provider)) {
      llm.put("project", "test-project");
      llm.put("location", "us-central1");
    }
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("provider", provider);
    for (int i = 0; i < embed.length; i += 2) {
      e.put((String) embed[i], embed[i + 1]);
    }
    return Embedders.create(e, llm, "test-run-" + provider);
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "gemini", "vertex"})
  void unitVectorsOfTheStubIdenticalTextsMatchAndASecondCallIsCached(String provider) {
    EmbedderFactory f = factory(provider);
    List<float[]> v;
    try (Embedder e = f.open()) {
      v = e.embed(TEXTS);
    }
    assertEquals(4, v.size());
    for (float[] x : v) {
      assertEquals(StubLlmServer.EMBED_DIM, x.length);
      assertEquals(1.0, Vectors.dot(x, x), 1e-5);
    }
    assertArrayEquals(v.get(0), v.get(2));
    assertFalse(Arrays.equals(v.get(0), v.get(1)));
    assertArrayEquals(Vectors.normalized(StubLlmServer.vector("Delete the Globex deal.", 16)),
        v.get(1), 1e-6f);
    assertEquals(3, stub.embeddedTexts(), "identical texts are sent once, blanks as (empty)");
    assertTrue(stub.paths().stream().allMatch(p -> p.endsWith(switch (provider) {
      case "openai" -> "/embeddings";
      case "gemini" -> ":batchEmbedContents";
      default -> ":predict";
    })), String.valueOf(stub.paths()));
    int requests = stub.requests();
    try (Embedder again = f.open()) {
      List<float[]> w = again.embed(TEXTS);
      for (int i = 0; i < v.size(); i++) {
        assertArrayEquals(v.get(i), w.get(i));
      }
    }
    assertEquals(requests, stub.requests(), "served from the cache: " + stub.paths());
  }

  @Test
  void geminiAndVertexUseTheirBatchEndpoints() {
    try (Embedder e = factory("gemini").open()) {
      e.embed(List.of("a", "b"));
    }
    try (Embedder e = factory("vertex", "model", "text-embedding-005").open()) {
      e.embed(List.of("c", "d"));
    }
    assertEquals(2, stub.requests(StubLlmServer.EMBED), String.valueOf(stub.paths()));
    assertTrue(stub.paths().stream().anyMatch(p -> p.endsWith(":batchEmbedContents")),
        String.valueOf(stub.paths()));
    assertTrue(stub.paths().stream().anyMatch(p -> p.endsWith(":predict")),
        String.valueOf(stub.paths()));
  }

  @Test
  void openAiHonoursRetryAfterOnA429() {
    stub.retryAfterSeconds(0.4).fault(Fault.RATE_LIMIT, StubLlmServer.EMBED, 1);
    long t0 = System.nanoTime();
    try (Embedder e = factory("openai").open()) {
      assertEquals(2, e.embed(List.of("x", "y")).size());
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(2, stub.requests(StubLlmServer.EMBED));
    assertTrue(ms >= 400, "waited Retry-After: " + ms + " ms");
  }

  @Test
  void geminiRetriesA429AndA500() {
    stub.fault(Fault.RATE_LIMIT, StubLlmServer.EMBED, 1)
        .fault(Fault.SERVER_ERROR, StubLlmServer.EMBED, 1);
    try (Embedder e = factory("gemini").open()) {
      assertEquals(2, e.embed(List.of("x", "y")).size());
    }
    assertEquals(3, stub.requests(StubLlmServer.EMBED));
  }

  @Test
  void givesUpAfterTheLastAttemptSoTheBundleFails() {
    stub.fault(Fault.SERVER_ERROR, StubLlmServer.EMBED, -1);
    try (Embedder e = factory("openai").open()) {
      IllegalStateException x = assertThrows(IllegalStateException.class,
          () -> e.embed(List.of("x")));
      assertTrue(x.getMessage().contains("gave up after 3 attempts"), x.getMessage());
    }
    assertEquals(3, stub.requests(StubLlmServer.EMBED));
  }

  @Test
  void aRefusedRequestComesBackAsEachTextsReasonWithoutRetries() {
    stub.fault(Fault.UNAUTHORIZED, StubLlmServer.EMBED, -1);
    try (Embedder e = factory("gemini").open()) {
      Embedded got = e.embedEach(List.of("x", "y"));
      assertEquals(Arrays.asList(null, null), got.vectors());
      for (String err : got.errors()) {
        assertTrue(err.startsWith("gemini embeddings with model 'gemini-embedding-001': HTTP 401"
            + " (refused: check embed.model, embed.dimensions and the API key)"), err);
      }
    }
    assertEquals(1, stub.requests(StubLlmServer.EMBED));
  }

  @Test
  void theKeyIsSentButNeverCached() throws Exception {
    String key = "sk-test-EMBEDKEY-0123456789";
    Path env = tmp.resolve("dotenv");
    Files.writeString(env, "OPENAI_API_KEY=" + key + "\nGEMINI_API_KEY=" + key + "\n");
    System.setProperty("convoforge.dotenv", env.toString());
    for (String p : new String[] {"openai", "gemini"}) {
      try (Embedder e = factory(p).open()) {
        e.embed(List.of("some text", "another text"));
      }
    }
    assertTrue(stub.authHeaders().stream().allMatch(h -> h.contains(key)),
        String.valueOf(stub.authHeaders().size()));
    try (Stream<Path> files = Files.walk(tmp.resolve("cache"))) {
      List<Path> all = files.filter(Files::isRegularFile).toList();
      assertEquals(4, all.size(), "one entry per text and provider");
      for (Path f : all) {
        assertFalse(Files.readString(f).contains("EMBEDKEY"), "key leaked into " + f);
      }
    }
  }

  @Test
  void badSettingsAreInputErrors() {
    Map<String, Object> noUrl = Map.of();
    assertTrue(assertThrows(InputException.class, () -> Embedders.create(
        Map.of("provider", "openai", "model", "all-minilm-l6-v2"), noUrl, "r"))
        .getMessage().contains("unknown openai embedding model 'all-minilm-l6-v2'"));
    assertTrue(assertThrows(InputException.class, () -> factory("openai", "task_type",
        "CLUSTERING")).getMessage().contains("only gemini and vertex"));
    assertTrue(assertThrows(InputException.class, () -> factory("gemini", "task_type",
        "NEAR_DUPES")).getMessage().contains("unknown task type"));
    assertTrue(assertThrows(InputException.class, () -> factory("openai", "dimensions", -3))
        .getMessage().contains("positive integer"));
    assertTrue(assertThrows(InputException.class, () -> factory("openai", "modle", "x"))
        .getMessage().contains("embed.modle"));
    assertTrue(assertThrows(InputException.class, () -> Embedders.create(
        Map.of("provider", "vertex"), noUrl, "r")).getMessage().contains("llm.project"));
    assertEquals("openai:text-embedding-3-small@256",
        factory("openai", "dimensions", 256).name());
  }
}
