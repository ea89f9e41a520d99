package io.convoforge.core.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.dedup.Fixtures;
import io.convoforge.core.embed.EmbedText;
import io.convoforge.core.embed.EmbedderFactory;
import io.convoforge.core.embed.Embedders;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import io.convoforge.testing.StubLlmServer;
import io.convoforge.testing.StubLlmServer.Fault;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote embedder that refuses (401, 404 for the model, 400) or keeps failing rejects the
 * affected elements {@code llm_error} with the provider's reason; the bundle does not fail.
 */
@ExtendWith(TestPipelineExtension.class)
class RemoteEmbedFailuresTest {
  private static final List<Record<String>> IN = List.of(
      Fixtures.conv("a", "T", 1, "Please create a new contact named Ada Lovelace at Acme."),
      Fixtures.conv("b", "T", 1, "Delete the opportunity for the Globex renewal deal."),
      Fixtures.conv("c", "T", 1, "What is the weather like in the mountains tomorrow?"),
      Fixtures.conv("d", "T", 1, "Update the status of client CL-1 to Active."));
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

  private StageResult<String> embed(TestPipeline p, int attempts) {
    Map<String, Object> llm = new LinkedHashMap<>();
    llm.put("base_url", stub.openAiUrl());
    llm.put("cache", tmp.resolve("cache").toString());
    llm.put("backoff_ms", 1);
    llm.put("max_attempts", attempts);
    EmbedderFactory f = Embedders.create(Map.of("provider", "openai"), llm, "embed-failures");
    return p.apply(Create.of(IN).withCoder(Fixtures.CODER)).apply(EmbedConversations.<String>of(
        new EmbedConversations.Settings(f, EmbedText.USER, 2)));
  }

  @Test
  void anUnknownModelRejectsEveryElementWithTheReason(TestPipeline p) {
    stub.fault(Fault.NOT_FOUND, StubLlmServer.EMBED, -1);
    StageResult<String> r = embed(p, 3);
    PAssert.that(r.output()).empty();
    PAssert.that(r.failures()).satisfies(all -> {
      int n = 0;
      for (Rejected x : all) {
        n++;
        assertEquals("embed", x.stage());
        assertEquals("llm_error", x.reason());
        assertTrue(x.detail().startsWith("openai embeddings with model 'text-embedding-3-small':"
            + " HTTP 404 (refused: check embed.model"), x.detail());
      }
      assertEquals(IN.size(), n);
      return null;
    });
    p.run();
    assertTrue(stub.requests(StubLlmServer.EMBED) <= IN.size(), "a request per batch (of at most"
        + " two, as bundles fall), none retried: " + stub.requests(StubLlmServer.EMBED));
  }

  @Test
  void theLastFailedAttemptRejectsTheElementsWithTheLastError(TestPipeline p) {
    stub.fault(Fault.SERVER_ERROR, StubLlmServer.EMBED, -1);
    StageResult<String> r = embed(p, 2);
    PAssert.that(r.output()).empty();
    PAssert.that(r.failures()).satisfies(all -> {
      int n = 0;
      for (Rejected x : all) {
        n++;
        assertEquals("llm_error", x.reason());
        assertTrue(x.detail().endsWith("gave up after 2 attempts; last error: HTTP 500"),
            x.detail());
      }
      assertEquals(IN.size(), n);
      return null;
    });
    p.run();
  }
}
