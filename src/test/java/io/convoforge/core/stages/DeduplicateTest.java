package io.convoforge.core.stages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.dedup.Fixtures;
import io.convoforge.core.dedup.MinHash;
import io.convoforge.core.embed.EmbedText;
import io.convoforge.core.embed.Vectors;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Deduplicate and SelectTop on tiny sets built here, with planted near-duplicates. */
@ExtendWith(TestPipelineExtension.class)
class DeduplicateTest {
  private static int n;

  private static Deduplicate.Settings settings(String... methods) {
    return Deduplicate.Settings.from(Map.of("methods", List.of(methods)), Map.of(), 11L);
  }

  /** 60 random vectors, 15 of them with planted near-copies (some chained), scores varied. */
  static List<Record<String>> semanticSet() {
    SplittableRandom r = new SplittableRandom(5);
    List<Record<String>> out = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      float[] v = Fixtures.random(r, 48);
      String id = String.format("c%03d", i);
      double score = i % 3 == 0 ? 1.0 : 0.8;
      out.add(Fixtures.withVector(Fixtures.conv(id, "T" + (i % 2), score, "text " + i), v));
      if (i < 15) {
        float[] w = Fixtures.near(r, v, 0.25);
        out.add(Fixtures.withVector(Fixtures.conv(id + "-dup", "T0", 0.9, "dup " + i), w));
        if (i < 5) {
          out.add(Fixtures.withVector(
              Fixtures.conv(id + "-dup2", "T1", 0.9, "dup2 " + i), Fixtures.near(r, w, 0.25)));
        }
      }
    }
    // A tie on score: the smaller id wins.
    float[] v = Fixtures.random(r, 48);
    out.add(Fixtures.withVector(Fixtures.conv("tie-a", "T0", 0.5, "t"), v));
    out.add(Fixtures.withVector(Fixtures.conv("tie-b", "T0", 0.5, "t"), v));
    return out;
  }

  private static PCollection<Record<String>> create(TestPipeline p, List<Record<String>> in) {
    return p.apply("Create" + System.identityHashCode(in) + "-" + (n++), Create.of(in).withCoder(Fixtures.CODER));
  }

  @Test
  void semanticLeavesNoPairAboveThresholdAndKeepsThePreferred(TestPipeline p) {
    List<Record<String>> in = semanticSet();
    Deduplicate.Settings s = settings("semantic").withKeepVectors(true);
    StageResult<String> r =
        create(p, in).apply(Deduplicate.<String>of(s));
    PAssert.that(r.output()).satisfies(all -> {
      List<float[]> vs = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      all.forEach(c -> {
        vs.add(c.embedding());
        ids.add(c.id());
      });
      for (int i = 0; i < vs.size(); i++) {
        for (int j = i + 1; j < vs.size(); j++) {
          assertTrue(Vectors.dot(vs.get(i), vs.get(j)) < 0.9,
              ids.get(i) + " ~ " + ids.get(j));
        }
      }
      assertTrue(ids.contains("tie-a"));
      assertFalse(ids.contains("tie-b"));
      // c000 (score 1.0) beats its copy (0.9); c001's copy (0.9) beats c001 (0.8).
      assertTrue(ids.contains("c000"));
      assertFalse(ids.contains("c000-dup"));
      assertTrue(ids.contains("c001-dup"));
      assertFalse(ids.contains("c001"));
      return null;
    });
    PAssert.that(r.failures()).satisfies(all -> {
      Map<String, Rejected> byId = new HashMap<>();
      all.forEach(x -> byId.put(x.id(), x));
      assertEquals("near_duplicate:semantic", byId.get("tie-b").reason());
      assertTrue(byId.get("tie-b").detail().contains("tie-a"), byId.get("tie-b").detail());
      assertTrue(byId.get("c001").detail().contains("c001-dup"));
      assertTrue(byId.size() >= 20, "dropped " + byId.size());
      return null;
    });
    p.run();
  }

  @Test
  void everyElementEndsAcceptedOrRejectedAndVectorsAreDroppedByDefault(TestPipeline p) {
    List<Record<String>> in = semanticSet();
    int size = in.size();
    StageResult<String> r =
        create(p, in).apply(Deduplicate.<String>of(settings("semantic", "lexical")));
    PAssert.that(r.output()).satisfies(all -> {
      int n = 0;
      for (Record<String> c : all) {
        assertNull(c.embedding());
        n++;
      }
      assertTrue(n > 30 && n < size, "kept " + n);
      return null;
    });
    PAssert.that(r.failures()).satisfies(all -> {
      int n = 0;
      for (Rejected x : all) {
        assertFalse(x.element().has("embedding"));
        n++;
      }
      assertTrue(n >= 20);
      return null;
    });
    p.run();
  }

  @Test
  void lexicalDropsPlantedCopiesAndNoPairAboveThresholdRemains(TestPipeline p) {
    SplittableRandom r = new SplittableRandom(9);
    List<Record<String>> in = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      String text = Fixtures.words(r, 60);
      in.add(Fixtures.conv(String.format("d%03d", i), "T0", 1.0, text));
      if (i % 4 == 0) {
        in.add(Fixtures.conv(String.format("d%03d-copy", i), "T0", 1.0,
            Fixtures.mutate(r, text, 1)));
      }
    }
    Deduplicate.Settings s = settings("lexical");
    StageResult<String> res =
        create(p, in).apply(Deduplicate.<String>of(s));
    PAssert.that(res.output()).satisfies(all -> {
      List<int[]> sh = new ArrayList<>();
      int n = 0;
      for (Record<String> c : all) {
        assertFalse(c.id().endsWith("-copy"), c.id());
        sh.add(MinHash.shingles(EmbedText.DIALOGUE.of(c), true, 3));
        n++;
      }
      assertEquals(80, n);
      for (int i = 0; i < sh.size(); i++) {
        for (int j = i + 1; j < sh.size(); j++) {
          assertTrue(MinHash.jaccard(sh.get(i), sh.get(j)) < 0.8);
        }
      }
      return null;
    });
    PAssert.that(res.failures()).satisfies(all -> {
      int n = 0;
      for (Rejected x : all) {
        assertEquals("near_duplicate:lexical", x.reason());
        assertTrue(x.detail().contains(x.id().replace("-copy", "")), x.detail());
        n++;
      }
      assertEquals(20, n);
      return null;
    });
    p.run();
  }

  @Test
  void selectTopPerTaskAndOverall(TestPipeline p) {
    List<Record<String>> in = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      in.add(Fixtures.conv("a" + i, "A", i / 10.0, "x"));
      in.add(Fixtures.conv("b" + i, "B", i < 5 ? 0.5 : 0.4, "x"));
    }
    StageResult<String> perTask =
        create(p, in).apply("PerTask", SelectTop.<String>of(3, "task"));
    PAssert.that(perTask.output()).satisfies(all -> {
      List<String> ids = new ArrayList<>();
      all.forEach(c -> ids.add(c.id()));
      ids.sort(null);
      assertEquals(List.of("a7", "a8", "a9", "b0", "b1", "b2"), ids);
      return null;
    });
    PAssert.that(perTask.failures()).satisfies(all -> {
      int n = 0;
      for (Rejected x : all) {
        assertEquals("below_top_k", x.reason());
        n++;
      }
      assertEquals(14, n);
      return null;
    });
    StageResult<String> overall =
        create(p, in).apply("Overall", SelectTop.<String>of(4, "overall"));
    PAssert.that(overall.output()).satisfies(all -> {
      List<String> ids = new ArrayList<>();
      all.forEach(c -> ids.add(c.id()));
      ids.sort(null);
      assertEquals(List.of("a6", "a7", "a8", "a9"), ids);
      return null;
    });
    p.run();
  }

  @Test
  void hyperplaneBandingFollowsTheThresholdAndMissesAtMostOnePairInAThousandThere() {
    for (double t : new double[] {0.8, 0.9, 0.95, 0.97, 0.99}) {
      int[] br = Deduplicate.Settings.hyperplaneBanding(t);
      double p = 1 - Math.acos(t) / Math.PI;
      double miss = Math.pow(1 - Math.pow(p, br[1]), br[0]);
      assertTrue(miss <= 1e-3, t + ": " + br[0] + " x " + br[1] + " misses " + miss);
      assertTrue(br[0] <= 32, "at most 32 bands at " + t);
      // One more row would need more than 32 bands: the most selective choice.
      double more = Math.pow(1 - Math.pow(p, br[1] + 1), 32);
      assertTrue(more > 1e-3, t + ": " + (br[1] + 1) + " rows would also do");
    }
    assertArrayEquals(new int[] {29, 10}, Deduplicate.Settings.hyperplaneBanding(0.9));
    Deduplicate.Settings fixed = Deduplicate.Settings.from(java.util.Map.of("semantic",
        java.util.Map.of("bands", 24, "rows", 12)), java.util.Map.of(), 7L);
    assertEquals(24, fixed.semanticBands(), "a recipe's own banding wins");
    assertEquals(12, fixed.semanticRows());
  }
}
