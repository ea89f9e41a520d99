package io.convoforge.core.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.embed.Vectors;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Candidate generation: planted near-duplicates share a band; keys depend only on the seed. */
class LshTest {
  private static boolean shareBand(long[] a, long[] b) {
    Set<Long> s = new HashSet<>();
    for (long x : a) {
      s.add(x);
    }
    for (long y : b) {
      if (s.contains(y)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void hyperplanesFindPlantedNearDuplicates() {
    SplittableRandom r = new SplittableRandom(1);
    HyperplaneLsh lsh = new HyperplaneLsh(24, 12, 64, 42);
    int found = 0;
    int far = 0;
    for (int i = 0; i < 200; i++) {
      float[] v = Fixtures.random(r, 64);
      float[] w = Fixtures.near(r, v, 0.3);
      assertTrue(Vectors.dot(v, w) > 0.9, "planted pair is above 0.9");
      if (shareBand(lsh.keys(v), lsh.keys(w))) {
        found++;
      }
      if (shareBand(lsh.keys(v), lsh.keys(Fixtures.random(r, 64)))) {
        far++;
      }
    }
    assertTrue(found >= 195, "found " + found + " of 200 planted pairs");
    assertTrue(far <= 10, far + " unrelated pairs became candidates");
    float[] v = Fixtures.random(r, 64);
    assertTrue(Arrays.equals(lsh.keys(v), new HyperplaneLsh(24, 12, 64, 42).keys(v)));
  }

  @Test
  void minhashFindsPlantedNearDuplicatesAndJaccardIsExact() {
    SplittableRandom r = new SplittableRandom(2);
    MinHash mh = new MinHash(20, 5, 7);
    int found = 0;
    int far = 0;
    for (int i = 0; i < 200; i++) {
      String a = Fixtures.words(r, 120);
      String b = Fixtures.mutate(r, a, 2);
      int[] sa = MinHash.shingles(a, true, 3);
      int[] sb = MinHash.shingles(b, true, 3);
      assertTrue(MinHash.jaccard(sa, sb) >= 0.85, "planted pair " + MinHash.jaccard(sa, sb));
      if (shareBand(mh.keys(sa), mh.keys(sb))) {
        found++;
      }
      if (shareBand(mh.keys(sa), mh.keys(MinHash.shingles(Fixtures.words(r, 120), true, 3)))) {
        far++;
      }
    }
    assertTrue(found >= 198, "found " + found + " of 200 planted pairs");
    assertEquals(0, far);
    assertEquals(1.0, MinHash.jaccard(new int[] {1, 2, 3}, new int[] {1, 2, 3}));
    assertEquals(0.5, MinHash.jaccard(new int[] {1, 2, 3}, new int[] {2, 3, 4}) , 1e-9);
    assertEquals(3, MinHash.shingles("a b c d e", true, 3).length);
    assertEquals(1, MinHash.shingles("a b", true, 3).length);
    assertTrue(MinHash.shingles("hello world", false, 5).length > 3);
  }

  @Test
  void sketchesRoundTripThroughTheirCoderAndEncodeDeterministically() throws Exception {
    Sketch both = new Sketch("conv-é-1", true, 0.75f, new float[] {0.6f, -0.8f},
        new int[] {-5, 3, 99});
    Sketch lexical = new Sketch("c2", false, 1.0, null, new int[] {7});
    Sketch bare = new Sketch("c3", false, 0, null, null);
    for (Sketch s : new Sketch[] {both, lexical, bare}) {
      byte[] bytes = org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(
          Sketch.SketchCoder.of(), s);
      Sketch back = org.apache.beam.sdk.util.CoderUtils.decodeFromByteArray(
          Sketch.SketchCoder.of(), bytes);
      assertEquals(s.id(), back.id());
      assertEquals(s.anchor(), back.anchor());
      assertEquals(s.score(), back.score());
      assertTrue(Arrays.equals(s.vector(), back.vector()));
      assertTrue(Arrays.equals(s.shingles(), back.shingles()));
      assertTrue(Arrays.equals(bytes, org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(
          Sketch.SketchCoder.of(), back)));
    }
  }
}
