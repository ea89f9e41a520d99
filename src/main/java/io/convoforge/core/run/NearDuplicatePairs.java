package io.convoforge.core.run;

import io.convoforge.core.dedup.MinHash;
import io.convoforge.core.model.Record;
import io.convoforge.core.stages.Deduplicate;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The near-duplicate gate's count, inside the pipeline: pairs of accepted records whose shingle
 * sets reach the lexical dedup threshold, over MinHash candidates with denser banding ({@value
 * #BANDS} x {@value #ROWS}: a pair at Jaccard 0.8 is missed with probability about 1e-9) than
 * the dedup stage's, so it checks the stage independently; every candidate pair confirmed
 * exactly, each pair counted once (in the first band the two share). Band buckets are grouped
 * into the dedup stage's number of key groups ({@link Deduplicate#shardsFor}), not one group
 * per bucket: a runner that pays per key group (the DirectRunner makes a bundle of each) would
 * otherwise take time quadratic in the dataset.
 */
final class NearDuplicatePairs extends PTransform<PCollection<? extends Record<?>>,
    PCollection<Long>> {
  static final int BANDS = 50;
  static final int ROWS = 5;
  private final Deduplicate.Settings settings;
  /** About how many records come in (0: unknown), for the number of key groups. */
  private final long expected;

  NearDuplicatePairs(Deduplicate.Settings settings) {
    this(settings, 0);
  }

  NearDuplicatePairs(Deduplicate.Settings settings, long expected) {
    super("NearDuplicatePairs");
    this.settings = settings;
    this.expected = expected;
  }

  /**
   * A record's id, shingles and band keys. Coded in one buffer ({@link ShingledCoder}): a
   * runner that copies grouped state (the DirectRunner, for every bundle that touches a group)
   * copies these many times.
   */
  record Shingled(String id, int[] shingles, long[] bands) {
    /** The first band whose key the two share, or -1. */
    int firstSharedBand(Shingled o) {
      for (int b = 0; b < bands.length; b++) {
        if (bands[b] == o.bands[b]) {
          return b;
        }
      }
      return -1;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public PCollection<Long> expand(PCollection<? extends Record<?>> input) {
    int shards = settings.shards() > 0 ? settings.shards()
        : Deduplicate.shardsFor(input.getPipeline().getOptions(), expected, BANDS);
    return ((PCollection<Record<?>>) input)
        .apply("Band", ParDo.of(new BandFn(settings, shards)))
        .setCoder(KvCoder.of(VarIntCoder.of(),
            KvCoder.of(VarIntCoder.of(), new ShingledCoder())))
        .apply("GroupBands", GroupByKey.create())
        .apply("ConfirmPairs", ParDo.of(new ConfirmFn(settings.lexicalThreshold())))
        .setCoder(VarLongCoder.of())
        .apply("CountPairs", Sum.longsGlobally());
  }

  /** Each record once per band, keyed by its band bucket's group: (group, (band, record)). */
  static final class BandFn extends DoFn<Record<?>, KV<Integer, KV<Integer, Shingled>>> {
    private final Deduplicate.Settings s;
    private final int shards;
    private transient MinHash minhash;

    BandFn(Deduplicate.Settings s, int shards) {
      this.s = s;
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element Record<?> r,
        OutputReceiver<KV<Integer, KV<Integer, Shingled>>> out) {
      if (minhash == null) {
        minhash = new MinHash(BANDS, ROWS, s.seed() ^ 0x5eed);
      }
      int[] sh = MinHash.shingles(s.lexicalText().of(r), s.wordShingles(), s.shingleSize());
      Shingled x = new Shingled(r.id(), sh, minhash.keys(sh));
      for (int b = 0; b < x.bands().length; b++) {
        out.output(KV.of(Deduplicate.shard(x.bands()[b], shards), KV.of(b, x)));
      }
    }
  }

  /** A group's buckets, each confirmed pair counted in the first band its records share. */
  static final class ConfirmFn
      extends DoFn<KV<Integer, Iterable<KV<Integer, Shingled>>>, Long> {
    private final double threshold;

    ConfirmFn(double threshold) {
      this.threshold = threshold;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<Integer, Shingled>>> group,
        OutputReceiver<Long> out) {
      Map<KV<Integer, Long>, List<Shingled>> buckets = new HashMap<>();
      for (KV<Integer, Shingled> m : group.getValue()) {
        int band = m.getKey();
        buckets.computeIfAbsent(KV.of(band, m.getValue().bands()[band]),
            k -> new ArrayList<>()).add(m.getValue());
      }
      long pairs = 0;
      for (Map.Entry<KV<Integer, Long>, List<Shingled>> bucket : buckets.entrySet()) {
        List<Shingled> members = bucket.getValue();
        for (int i = 0; i < members.size(); i++) {
          for (int j = i + 1; j < members.size(); j++) {
            Shingled a = members.get(i);
            Shingled b = members.get(j);
            if (a.firstSharedBand(b) == bucket.getKey().getKey()
                && MinHash.jaccard(a.shingles(), b.shingles()) >= threshold) {
              pairs++;
            }
          }
        }
      }
      out.output(pairs);
    }
  }

  /** {@link Shingled} as one length-prefixed buffer: id, shingles, band keys. */
  static final class ShingledCoder extends CustomCoder<Shingled> {
    @Override
    public void encode(Shingled x, OutputStream os) throws IOException {
      byte[] id = x.id().getBytes(StandardCharsets.UTF_8);
      ByteBuffer b = ByteBuffer.allocate(4 + id.length + 4 + 4 * x.shingles().length + 4
          + 8 * x.bands().length);
      b.putInt(id.length).put(id).putInt(x.shingles().length);
      b.asIntBuffer().put(x.shingles());
      b.position(b.position() + 4 * x.shingles().length);
      b.putInt(x.bands().length);
      b.asLongBuffer().put(x.bands());
      VarInt.encode(b.capacity(), os);
      os.write(b.array());
    }

    @Override
    public Shingled decode(InputStream is) throws IOException {
      byte[] bytes = new byte[VarInt.decodeInt(is)];
      new DataInputStream(is).readFully(bytes);
      ByteBuffer b = ByteBuffer.wrap(bytes);
      byte[] id = new byte[b.getInt()];
      b.get(id);
      int[] shingles = new int[b.getInt()];
      b.asIntBuffer().get(shingles);
      b.position(b.position() + 4 * shingles.length);
      long[] bands = new long[b.getInt()];
      b.asLongBuffer().get(bands);
      return new Shingled(new String(id, StandardCharsets.UTF_8), shingles, bands);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
