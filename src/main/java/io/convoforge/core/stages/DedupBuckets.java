package io.convoforge.core.stages;

import io.convoforge.core.dedup.HyperplaneLsh;
import io.convoforge.core.dedup.MinHash;
import io.convoforge.core.dedup.Sketch;
import io.convoforge.core.embed.Vectors;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.JsonCoder;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCoder;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.util.Seeds;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The buckets of {@link Deduplicate}, one method at a time: each element becomes a small {@link
 * Sketch}, one key per LSH band; a {@code GroupByKey} brings each bucket's members together and
 * confirms their pairs exactly; the less preferred member of every confirmed pair gets a {@link
 * Witness}, joined back to it to drop it. Buckets and ids are grouped into {@code dedup.shards}
 * groups (see {@link Deduplicate#shardsFor}) rather than one group per bucket or id.
 */
final class DedupBuckets {
  private DedupBuckets() {}

  /** The preferred near-duplicate ({@code keptId}) that drops {@code droppedId}. */
  record Witness(String droppedId, String keptId, boolean anchor, double score,
      double similarity) implements Serializable {
    static Witness better(Witness a, Witness b) {
      int c = Sketch.PREFERRED.compare(new Sketch(a.keptId, a.anchor, a.score, null, null),
          new Sketch(b.keptId, b.anchor, b.score, null, null));
      if (c != 0) {
        return c < 0 ? a : b;
      }
      return a.similarity >= b.similarity ? a : b;
    }
  }

  /**
   * One method: sketch, bucket, confirm, join back. Buckets and ids are grouped into {@code
   * dedup.shards} groups (default {@link #shardsFor}) rather than one group per bucket or per id: each group
   * still holds a bounded slice, and runners that pay per key group (the DirectRunner makes one
   * bundle per group) stay fast.
   */
  static final class ByMethod<P> extends RecordStage<P, P> {
    private final String method;
    private final Deduplicate.Settings settings;
    private final PCollection<Record<P>> anchors;

    ByMethod(String method, Deduplicate.Settings settings, PCollection<Record<P>> anchors) {
      super("Dedup-" + method);
      this.method = method;
      this.settings = settings;
      this.anchors = anchors;
    }

    @Override
    public StageResult<P> expand(PCollection<Record<P>> input) {
      KvCoder<Integer, List<KV<Long, Sketch>>> bucketCoder = KvCoder.of(VarIntCoder.of(),
          ListCoder.of(KvCoder.of(VarLongCoder.of(), Sketch.SketchCoder.of())));
      PCollection<KV<Integer, List<KV<Long, Sketch>>>> keyed = input.apply("Sketch",
          ParDo.of(new SketchFn<P>(method, settings, false))).setCoder(bucketCoder);
      if (anchors != null) {
        PCollection<KV<Integer, List<KV<Long, Sketch>>>> anchorKeys = anchors.apply(
            "SketchAnchors",
            ParDo.of(new SketchFn<P>(method, settings, true))).setCoder(bucketCoder);
        keyed = PCollectionList.of(keyed).and(anchorKeys)
            .apply("WithAnchors", Flatten.pCollections()).setCoder(bucketCoder);
      }
      int shards = settings.shards();
      PCollection<KV<Integer, Witness>> witnesses = keyed
          .apply("GroupBuckets", GroupByKey.create())
          .apply("ConfirmPairs", ParDo.of(new BucketFn(method, settings)))
          .setCoder(KvCoder.of(VarIntCoder.of(), JsonCoder.of(Witness.class)));
      // Conversations cross the join as their encoded bytes, decoded once afterwards: a
      // runner that copies grouped state (below) then copies bytes, not whole records.
      PCollection<KV<Integer, byte[]>> byId = input
          .apply("KeyById", ParDo.of(new KeyByIdFn<P>(shards)))
          .setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()));
      // Witnesses are grouped first, so the join sees one witness element per key. A runner
      // that keeps grouped state in memory (the DirectRunner) copies a key's whole state -
      // conversations included - for each input bundle that touches the key; confirming
      // buckets emits witnesses from hundreds of bundles, which made that copying quadratic.
      PCollection<KV<Integer, Iterable<Witness>>> grouped = witnesses
          .apply("GroupWitnesses", GroupByKey.create());
      TupleTag<byte[]> elements = new TupleTag<>();
      TupleTag<Iterable<Witness>> drops = new TupleTag<>();
      @SuppressWarnings("unchecked")
      DropFn<P> drop = new DropFn<>(method, elements, drops, (RecordCoder<P>) input.getCoder());
      PCollectionTuple t = KeyedPCollectionTuple.of(elements, byId).and(drops, grouped)
          .apply("JoinWitnesses", CoGroupByKey.create())
          .apply("Drop", ParDo.of(drop)
              .withOutputTags(drop.output, TupleTagList.of(RecordFn.FAILURES)));
      return StageResult.of(t.get(drop.output).setCoder(input.getCoder()),
          t.get(RecordFn.FAILURES).setCoder(JsonCoder.of(Rejected.class)));
    }
  }

  /**
   * The element's sketch, once per band key, keyed by the bucket's shard. In the global window
   * (batch runs) a bundle's entries are gathered per shard and emitted as lists, at most {@link
   * #FLUSH_ENTRIES} held at a time: the shuffle then moves a few thousand lists instead of one
   * record per element and band, which is what the grouping pays per record for.
   */
  static final class SketchFn<P>
      extends DoFn<Record<P>, KV<Integer, List<KV<Long, Sketch>>>> {
    static final int FLUSH_ENTRIES = 50_000;
    private final String method;
    private final Deduplicate.Settings s;
    private final boolean anchor;
    private transient HyperplaneLsh hyperplanes;
    private transient MinHash minhash;
    private transient Map<Integer, List<KV<Long, Sketch>>> pending;
    private transient int held;

    SketchFn(String method, Deduplicate.Settings s, boolean anchor) {
      this.method = method;
      this.s = s;
      this.anchor = anchor;
    }

    @StartBundle
    public void startBundle() {
      reset();
    }

    private void reset() {
      pending = new HashMap<>();
      held = 0;
    }

    @ProcessElement
    public void process(@Element Record<P> c, BoundedWindow window,
        OutputReceiver<KV<Integer, List<KV<Long, Sketch>>>> out) {
      double score = c.judgement() == null ? 0 : c.judgement().score();
      Sketch sketch;
      long[] keys;
      if ("semantic".equals(method)) {
        float[] v = c.embedding();
        if (v == null) {
          throw new IllegalStateException("conversation " + c.id() + " has no embedding; run"
              + " the embed stage before dedup");
        }
        if (hyperplanes == null) {
          hyperplanes = new HyperplaneLsh(s.semanticBands(), s.semanticRows(), v.length,
              Seeds.of(s.seed(), "hyperplanes", Deduplicate.STAGE));
        }
        sketch = new Sketch(c.id(), anchor, score, v, null);
        keys = hyperplanes.keys(v);
      } else {
        if (minhash == null) {
          minhash = new MinHash(s.lexicalBands(), s.lexicalRows(),
              Seeds.of(s.seed(), "minhash", Deduplicate.STAGE));
        }
        int[] sh = MinHash.shingles(s.lexicalText().of(c), s.wordShingles(), s.shingleSize());
        sketch = new Sketch(c.id(), anchor, score, null, sh);
        keys = minhash.keys(sh);
      }
      boolean global = window instanceof GlobalWindow;
      for (long k : keys) {
        int shard = Deduplicate.shard(k, s.shards());
        if (!global) {
          out.output(KV.of(shard, List.of(KV.of(k, sketch))));
          continue;
        }
        pending.computeIfAbsent(shard, x -> new ArrayList<>()).add(KV.of(k, sketch));
        held++;
      }
      if (held >= FLUSH_ENTRIES) {
        pending.forEach((shard, list) -> out.output(KV.of(shard, list)));
        reset();
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext ctx) {
      pending.forEach((shard, list) -> ctx.output(KV.of(shard, list),
          GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
      reset();
    }
  }

  /**
   * Confirms a group's buckets exactly: each bucket's members in preference order; each
   * non-anchor member is compared with the more preferred ones until one is similar enough,
   * which is its witness (keyed by the dropped id's shard for the join).
   */
  static final class BucketFn
      extends DoFn<KV<Integer, Iterable<List<KV<Long, Sketch>>>>, KV<Integer, Witness>> {
    private final Counter buckets = Metrics.counter(BucketFn.class, "buckets_compared");
    private final Counter comparisons = Metrics.counter(BucketFn.class, "comparisons");
    private final String method;
    private final double threshold;
    private final int shards;

    BucketFn(String method, Deduplicate.Settings s) {
      this.method = method;
      this.threshold = "semantic".equals(method) ? s.semanticThreshold() : s.lexicalThreshold();
      this.shards = s.shards();
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<List<KV<Long, Sketch>>>> group,
        OutputReceiver<KV<Integer, Witness>> out) {
      Map<Long, List<Sketch>> byBucket = new HashMap<>();
      for (List<KV<Long, Sketch>> part : group.getValue()) {
        for (KV<Long, Sketch> kv : part) {
          byBucket.computeIfAbsent(kv.getKey(), k -> new ArrayList<>(2)).add(kv.getValue());
        }
      }
      long n = 0;
      for (List<Sketch> members : byBucket.values()) {
        if (members.size() < 2) {
          continue;
        }
        buckets.inc();
        members.sort(Sketch.PREFERRED);
        for (int i = 1; i < members.size(); i++) {
          Sketch x = members.get(i);
          if (x.anchor()) {
            continue;
          }
          for (int j = 0; j < i; j++) {
            Sketch y = members.get(j);
            n++;
            double sim = similarity(x, y);
            if (sim >= threshold) {
              out.output(KV.of(Deduplicate.shard(Seeds.hash(x.id()), shards), new Witness(
                  x.id(), y.id(), y.anchor(), y.score(), Math.round(sim * 10000) / 10000.0)));
              break;
            }
          }
        }
      }
      comparisons.inc(n);
    }

    private double similarity(Sketch a, Sketch b) {
      return "semantic".equals(method) ? Vectors.dot(a.vector(), b.vector())
          : MinHash.jaccard(a.shingles(), b.shingles());
    }
  }

  /** Keys an element by its id's join shard, as its encoded bytes. */
  static final class KeyByIdFn<P> extends DoFn<Record<P>, KV<Integer, byte[]>> {
    private final int shards;

    KeyByIdFn(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element Record<P> c, OutputReceiver<KV<Integer, byte[]>> out) {
      out.output(KV.of(Deduplicate.shard(Seeds.hash(c.id()), shards), Json.bytes(c)));
    }
  }

  /** Joins an element with its witness, if any: dropped with the witness, or passed on. */
  static final class DropFn<P> extends DoFn<KV<Integer, CoGbkResult>, Record<P>> {
    final TupleTag<Record<P>> output = new TupleTag<>("output");
    private final Counter semanticDropped = Metrics.counter(DropFn.class, "semantic_dropped");
    private final Counter lexicalDropped = Metrics.counter(DropFn.class, "lexical_dropped");
    private final String method;
    private final TupleTag<byte[]> elements;
    private final TupleTag<Iterable<Witness>> drops;

    private final RecordCoder<P> coder;

    DropFn(String method, TupleTag<byte[]> elements, TupleTag<Iterable<Witness>> drops,
        RecordCoder<P> coder) {
      this.method = method;
      this.elements = elements;
      this.drops = drops;
      this.coder = coder;
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> e, MultiOutputReceiver out) {
      Map<String, Witness> best = new HashMap<>();
      for (Iterable<Witness> ws : e.getValue().getAll(drops)) {
        for (Witness w : ws) {
          best.merge(w.droppedId(), w, Witness::better);
        }
      }
      for (byte[] bytes : e.getValue().getAll(elements)) {
        Record<P> c = coder.read(bytes);
        Witness w = best.get(c.id());
        if (w == null) {
          out.get(output).output(c);
          continue;
        }
        ("semantic".equals(method) ? semanticDropped : lexicalDropped).inc();
        String measure = "semantic".equals(method) ? "cosine" : "jaccard";
        out.get(RecordFn.FAILURES).output(Rejected.of(c, Deduplicate.STAGE, "near_duplicate:" + method,
            String.format(Locale.ROOT, "near-duplicate of %s%s (%s %.4f)", w.keptId(),
                w.anchor() ? " (accepted earlier)" : "", measure, w.similarity())));
      }
    }
  }
}
