package io.convoforge.core.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.dedup.Fixtures;
import io.convoforge.core.dedup.MinHash;
import io.convoforge.core.embed.EmbedText;
import io.convoforge.core.model.Record;
import io.convoforge.core.stages.Deduplicate;
import java.util.ArrayList;
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

/**
 * The near-duplicate gate's count equals an all-pairs count over the same shingles, whatever
 * the number of key groups the band buckets share: each pair once, chained copies included.
 */
@ExtendWith(TestPipelineExtension.class)
class NearDuplicatePairsTest {

  @Test
  void countsEachPairAboveTheThresholdOnceWithFewOrManyKeyGroups(TestPipeline p) {
    SplittableRandom r = new SplittableRandom(3);
    List<Record<String>> in = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      String text = Fixtures.words(r, 50);
      in.add(Fixtures.conv(String.format("n%03d", i), "T0", 1.0, text));
      if (i % 5 == 0) {
        String copy = Fixtures.mutate(r, text, 1);
        in.add(Fixtures.conv(String.format("n%03d-a", i), "T0", 1.0, copy));
        if (i % 10 == 0) {
          in.add(Fixtures.conv(String.format("n%03d-b", i), "T0", 1.0,
              Fixtures.mutate(r, copy, 1)));
        }
      }
    }
    long expected = 0;
    List<int[]> sh = in.stream().map(c -> MinHash.shingles(EmbedText.DIALOGUE.of(c), true, 3))
        .toList();
    for (int i = 0; i < sh.size(); i++) {
      for (int j = i + 1; j < sh.size(); j++) {
        expected += MinHash.jaccard(sh.get(i), sh.get(j)) >= 0.8 ? 1 : 0;
      }
    }
    // 24 copies and 12 second copies: at least one pair each, some triangles closed.
    assertTrue(expected >= 36, "planted pairs: " + expected);
    Deduplicate.Settings s = Deduplicate.Settings.from(Map.of(), Map.of(), 5L);
    PCollection<Record<String>> records =
        p.apply(Create.of(in).withCoder(Fixtures.CODER));
    PAssert.thatSingleton(records.apply("FewGroups",
        new NearDuplicatePairs(s.withShards(1)))).isEqualTo(expected);
    PAssert.thatSingleton(records.apply("ManyGroups",
        new NearDuplicatePairs(s.withShards(97)))).isEqualTo(expected);
    p.run();
  }
}
