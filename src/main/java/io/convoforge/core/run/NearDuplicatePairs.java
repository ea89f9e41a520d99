package io.convoforge.core.run;

import io.convoforge.core.dedup.MinHash;
import io.convoforge.core.model.JsonCoder;
import io.convoforge.core.model.Record;
import io.convoforge.core.stages.Deduplicate;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The near-duplicate gate's count, inside the pipeline: pairs of accepted records whose shingle
 * sets reach the lexical dedup threshold, over MinHash candidates with denser banding ({@value
 * #BANDS} x {@value #ROWS}: a pair at Jaccard 0.8 is missed with probability about 1e-9) than
 * the dedup stage's, so it checks the stage independently; every candidate pair confirmed
 * exactly, each pair counted once.
 */
final class NearDuplicatePairs extends PTransform<PCollection<? extends Record<?>>,
    PCollection<Long>> {
  static final int BANDS = 50;
  static final int ROWS = 5;
  private final Deduplicate.Settings settings;

  NearDuplicatePairs(Deduplicate.Settings settings) {
    super("NearDuplicatePairs");
    this.settings = settings;
  }

  /** A record's id and shingles. */
  record Shingled(String id, int[] shingles) {}

  @Override
  @SuppressWarnings("unchecked")
  public PCollection<Long> expand(PCollection<? extends Record<?>> input) {
    return ((PCollection<Record<?>>) input)
        .apply("Band", ParDo.of(new BandFn(settings)))
        .setCoder(KvCoder.of(VarLongCoder.of(), JsonCoder.of(Shingled.class)))
        .apply("GroupBands", GroupByKey.create())
        .apply("ConfirmPairs", ParDo.of(new ConfirmFn(settings.lexicalThreshold())))
        .setCoder(StringUtf8Coder.of())
        .apply("OncePerPair", Distinct.create())
        .apply("CountPairs", Count.globally());
  }

  static final class BandFn extends DoFn<Record<?>, KV<Long, Shingled>> {
    private final Deduplicate.Settings s;
    private transient MinHash minhash;

    BandFn(Deduplicate.Settings s) {
      this.s = s;
    }

    @ProcessElement
    public void process(@Element Record<?> r, OutputReceiver<KV<Long, Shingled>> out) {
      if (minhash == null) {
        minhash = new MinHash(BANDS, ROWS, s.seed() ^ 0x5eed);
      }
      int[] sh = MinHash.shingles(s.lexicalText().of(r), s.wordShingles(), s.shingleSize());
      Shingled x = new Shingled(r.id(), sh);
      for (long k : minhash.keys(sh)) {
        out.output(KV.of(k, x));
      }
    }
  }

  static final class ConfirmFn extends DoFn<KV<Long, Iterable<Shingled>>, String> {
    private final double threshold;

    ConfirmFn(double threshold) {
      this.threshold = threshold;
    }

    @ProcessElement
    public void process(@Element KV<Long, Iterable<Shingled>> bucket, OutputReceiver<String> out) {
      List<Shingled> members = new ArrayList<>();
      bucket.getValue().forEach(members::add);
      members.sort((a, b) -> a.id().compareTo(b.id()));
      for (int i = 0; i < members.size(); i++) {
        for (int j = i + 1; j < members.size(); j++) {
          if (MinHash.jaccard(members.get(i).shingles(), members.get(j).shingles())
              >= threshold) {
            out.output(members.get(i).id() + "\t" + members.get(j).id());
          }
        }
      }
    }
  }
}
