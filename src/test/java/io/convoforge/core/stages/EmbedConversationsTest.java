package io.convoforge.core.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.dedup.Fixtures;
import io.convoforge.core.embed.EmbedText;
import io.convoforge.core.embed.EmbedderFactory;
import io.convoforge.core.embed.LocalOnnxEmbedder;
import io.convoforge.core.embed.Vectors;
import io.convoforge.core.model.Record;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The local ONNX embedder inside the stage: one model per JVM, batches, similar texts close. */
@ExtendWith(TestPipelineExtension.class)
class EmbedConversationsTest {
  private static final EmbedderFactory BGE =
      LocalOnnxEmbedder.fromSettings(Map.of("model", "bge-small-en-v15-q"));

  @Test
  void modelIsSharedPerJvm() {
    assertSame(BGE.open(), BGE.open());
    assertEquals(384, BGE.open().dimension());
  }

  @Test
  void embedsInBatchesAndSimilarTextsAreClose(TestPipeline p) {
    List<Record<String>> in = List.of(
        Fixtures.conv("a", "T", 1, "Please create a new contact named Ada Lovelace at Acme."),
        Fixtures.conv("b", "T", 1, "Please create a new contact called Ada Lovelace at Acme."),
        Fixtures.conv("c", "T", 1, "What is the weather like in the mountains tomorrow?"),
        Fixtures.conv("d", "T", 1, "Delete the opportunity for the Globex renewal deal."),
        Fixtures.conv("e", "T", 1, ""));
    PAssert.that(p.apply(Create.of(in).withCoder(Fixtures.CODER))
        .apply(EmbedConversations.<String>of(new EmbedConversations.Settings(BGE, EmbedText.USER, 2))).output())
        .satisfies(all -> {
          Map<String, float[]> v = new HashMap<>();
          all.forEach(c -> v.put(c.id(), c.embedding()));
          assertEquals(5, v.size());
          assertEquals(384, v.get("a").length);
          assertEquals(1.0, Vectors.dot(v.get("a"), v.get("a")), 1e-3);
          double close = Vectors.dot(v.get("a"), v.get("b"));
          double far = Vectors.dot(v.get("a"), v.get("c"));
          assertTrue(close > 0.9, "paraphrase cosine " + close);
          assertTrue(far < close - 0.2, "unrelated cosine " + far);
          return null;
        });
    p.run();
  }
}
