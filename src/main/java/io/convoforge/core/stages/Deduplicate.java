package io.convoforge.core.stages;

import io.convoforge.core.dedup.HyperplaneLsh;
import io.convoforge.core.dedup.MinHash;
import io.convoforge.core.dedup.Sketch;
import io.convoforge.core.embed.EmbedText;
import io.convoforge.core.embed.Vectors;
import io.convoforge.core.input.InputException;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.JsonCoder;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCodec;
import io.convoforge.core.model.RecordCoder;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.recipe.Recipe;
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
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
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
 * Removes near-duplicates, by each method the recipe lists in {@code dedup.methods} in turn:
 * {@code semantic} (cosine of the {@code embed} vectors >= {@code dedup.semantic.threshold},
 * default 0.9) and {@code lexical} (Jaccard of word or character shingles >= {@code
 * dedup.lexical.threshold}, default 0.8).
 *
 * <p>How: each element becomes a small {@link Sketch}; LSH (random hyperplanes, or MinHash with
 * banding) gives it one key per band; a {@code GroupByKey} brings each bucket's members together
 * (bounded by the bucket, never the whole collection) and the pairs inside a bucket are compared
 * exactly. Never all pairs globally. An element is dropped when some candidate pair puts it next
 * to a more preferred element (higher judge score, then smaller id; earlier-accepted anchors
 * before all) at or above the threshold, whether or not that element survives itself: for every
 * confirmed pair the less preferred one goes, so no confirmed pair survives. In a chain a ~ b ~ c
 * with a !~ c this drops c too (over-removal, never under-removal), and needs no global pass.
 *
 * <p>Anchors: {@code dedup.anchors} names JSON-lines files of already-accepted records in the
 * family's output format (earlier {@code --accepted} rounds, or an earlier run); they take part
 * in the buckets, are preferred over everything and are never output.
 *
 * <p>In: records (with an {@code embedding} for semantic). Out: the survivors, the
 * vector removed unless {@code embed.keep: true}. Failures: {@code near_duplicate:semantic} or
 * {@code near_duplicate:lexical}, the detail naming the preferred near-duplicate and the
 * similarity. No retries: it is pure computation.
 */
public final class Deduplicate<P> extends RecordStage<P, P> {
  public static final String STAGE = "dedup";
  private final Settings settings;
  private final RecordCodec anchorCodec;
  private final EmbedConversations.Settings anchorEmbedding;

  /** The recipe's {@code dedup} section, resolved. */
  public record Settings(
      List<String> methods,
      double semanticThreshold,
      int semanticBands,
      int semanticRows,
      double lexicalThreshold,
      int lexicalBands,
      int lexicalRows,
      boolean wordShingles,
      int shingleSize,
      EmbedText lexicalText,
      String anchors,
      boolean keepVectors,
      int shards,
      long seed) implements Serializable {

    @SuppressWarnings("unchecked")
    public static Settings from(Map<String, Object> dedup, Map<String, Object> embed, long seed) {
      Object m = dedup.get("methods");
      List<String> methods = m == null ? List.of("semantic", "lexical")
          : List.copyOf((List<String>) m);
      for (String s : methods) {
        if (!s.equals("semantic") && !s.equals("lexical")) {
          throw new InputException("recipe", "field dedup.methods", "unknown method '" + s
              + "'; expected semantic or lexical");
        }
      }
      Map<String, Object> sem = sub(dedup, "semantic");
      Map<String, Object> lex = sub(dedup, "lexical");
      String shingle = String.valueOf(lex.getOrDefault("shingle", "word"));
      double threshold = num(sem, "threshold", 0.9);
      int[] banding = hyperplaneBanding(threshold);
      return new Settings(methods,
          threshold, (int) num(sem, "bands", banding[0]), (int) num(sem, "rows", banding[1]),
          num(lex, "threshold", 0.8), (int) num(lex, "bands", 20), (int) num(lex, "rows", 5),
          !"char".equals(shingle),
          (int) num(lex, "size", "char".equals(shingle) ? 5 : 3),
          EmbedText.parse(lex.getOrDefault("text", "dialogue")),
          dedup.get("anchors") == null ? null : String.valueOf(dedup.get("anchors")),
          Boolean.TRUE.equals(embed.get("keep")), (int) num(dedup, "shards", 0), seed);
    }

    public Settings withMethods(List<String> m) {
      return new Settings(List.copyOf(m), semanticThreshold, semanticBands, semanticRows,
          lexicalThreshold, lexicalBands, lexicalRows, wordShingles, shingleSize, lexicalText,
          anchors, keepVectors, shards, seed);
    }

    public Settings withKeepVectors(boolean keep) {
      return new Settings(methods, semanticThreshold, semanticBands, semanticRows,
          lexicalThreshold, lexicalBands, lexicalRows, wordShingles, shingleSize, lexicalText,
          anchors, keep, shards, seed);
    }

    /** The same with {@code n} shards (0: chosen by the runner, see {@link #shardsFor}). */
    public Settings withShards(int n) {
      return new Settings(methods, semanticThreshold, semanticBands, semanticRows,
          lexicalThreshold, lexicalBands, lexicalRows, wordShingles, shingleSize, lexicalText,
          anchors, keepVectors, n, seed);
    }

    public Settings withAnchors(String glob) {
      return new Settings(methods, semanticThreshold, semanticBands, semanticRows,
          lexicalThreshold, lexicalBands, lexicalRows, wordShingles, shingleSize, lexicalText,
          glob, keepVectors, shards, seed);
    }

    /**
     * Bands and rows for random-hyperplane LSH at cosine {@code threshold} when the recipe does
     * not set them: two vectors at the threshold agree on one hyperplane with probability
     * {@code p = 1 - acos(t) / pi} and share some band with {@code 1 - (1 - p^rows)^bands}.
     * The most rows (fewest candidates below the threshold) for which at most {@link
     * #MAX_BANDS} bands keep the chance of missing a pair at the threshold under {@link
     * #MISS_AT_THRESHOLD}. At 0.9: 10 x 29; at 0.97: 20 x 32.
     */
    static int[] hyperplaneBanding(double threshold) {
      double p = 1 - Math.acos(Math.max(-1, Math.min(1, threshold))) / Math.PI;
      int[] best = {MAX_BANDS, 1};
      for (int rows = 1; rows <= 63; rows++) {
        double perBand = Math.pow(p, rows);
        if (perBand >= 1) {
          best = new int[] {1, rows};
          continue;
        }
        int bands = (int) Math.ceil(Math.log(MISS_AT_THRESHOLD) / Math.log(1 - perBand));
        if (bands > MAX_BANDS) {
          break;
        }
        best = new int[] {Math.max(1, bands), rows};
      }
      return best;
    }

    static final double MISS_AT_THRESHOLD = 1e-3;
    static final int MAX_BANDS = 32;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sub(Map<String, Object> m, String key) {
      Object v = m.get(key);
      return v instanceof Map ? (Map<String, Object>) v : Map.of();
    }

    private static double num(Map<String, Object> m, String key, double dflt) {
      Object v = m.get(key);
      return v instanceof Number n ? n.doubleValue() : dflt;
    }
  }

  private Deduplicate(Settings settings, RecordCodec anchorCodec,
      EmbedConversations.Settings anchorEmbedding) {
    super("Deduplicate");
    this.settings = settings;
    this.anchorCodec = anchorCodec;
    this.anchorEmbedding = anchorEmbedding;
  }

  /**
   * The dedup stage of a recipe: its {@code dedup} section; anchors ({@code dedup.anchors}) are
   * read with the family's {@code codec} and embedded with {@code embedding} (null when the
   * recipe runs no semantic dedup).
   */
  public static <P> Deduplicate<P> of(Recipe recipe, RecordCodec codec,
      EmbedConversations.Settings embedding) {
    Settings s = Settings.from(recipe.section("dedup"), recipe.section("embed"), recipe.seed());
    List<String> stages = recipe.stages();
    int embed = stages.indexOf(EmbedConversations.STAGE);
    if (s.methods().contains("semantic") && (embed < 0 || embed > stages.indexOf(STAGE))) {
      throw new InputException(recipe.file(), "field stages",
          "dedup method 'semantic' needs the 'embed' stage before 'dedup'");
    }
    return new Deduplicate<>(s, codec, s.methods().contains("semantic") ? embedding : null);
  }

  /** A dedup with explicit settings and no anchors. */
  public static <P> Deduplicate<P> of(Settings settings) {
    return new Deduplicate<>(settings, null, null);
  }

  @Override
  public StageResult<P> expand(PCollection<Record<P>> input) {
    @SuppressWarnings("unchecked")
    RecordCoder<P> coder = (RecordCoder<P>) input.getCoder();
    PCollection<Record<P>> anchors = null;
    if (settings.anchors() != null) {
      RecordCodec codec = anchorCodec;
      anchors = input.getPipeline()
          .apply("ReadAnchors", TextIO.read().from(settings.anchors())
              .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
          .apply("ParseAnchors", ParDo.of(new ParseAnchorFn<P>(codec)))
          .setCoder(coder);
      if (anchorEmbedding != null) {
        anchors = anchors.apply("EmbedAnchors", EmbedConversations.<P>of(anchorEmbedding))
            .output();
      }
    }
    Settings resolved = settings.shards() > 0 ? settings
        : settings.withShards(shardsFor(input.getPipeline().getOptions()));
    PCollection<Record<P>> current = input;
    PCollectionList<Rejected> failures = PCollectionList.empty(input.getPipeline());
    for (String method : settings.methods()) {
      StageResult<P> r = current.apply(
          "semantic".equals(method) ? "Semantic" : "Lexical",
          new ByMethod<>(method, resolved, anchors));
      current = r.output();
      failures = failures.and(r.failures());
    }
    PCollection<Rejected> rejected = failures.apply("CollectDuplicates", Flatten.pCollections())
        .setCoder(JsonCoder.of(Rejected.class));
    if (!settings.keepVectors()) {
      current = current.apply("DropVectors", ParDo.of(new DropVectorFn<P>())).setCoder(coder);
    }
    return StageResult.of(current, rejected);
  }

  /** An anchor line (a record in the family's output format) to its record. */
  static final class ParseAnchorFn<P> extends DoFn<String, Record<P>> {
    private final RecordCodec codec;

    ParseAnchorFn(RecordCodec codec) {
      this.codec = codec;
    }

    @ProcessElement
    @SuppressWarnings("unchecked")
    public void process(@Element String line, OutputReceiver<Record<P>> out) {
      if (!line.isBlank()) {
        // An accepted record of this family: the payload class of the stages it went through.
        out.output((Record<P>) codec.parse(Json.parse(line)));
      }
    }
  }

  /** Drops the vector before output (unless {@code embed.keep}). */
  static final class DropVectorFn<P> extends DoFn<Record<P>, Record<P>> {
    @ProcessElement
    public void process(@Element Record<P> r, OutputReceiver<Record<P>> out) {
      out.output(r.embedding() == null ? r : r.withEmbedding(null));
    }
  }

  /** The preferred near-duplicate ({@code keptId}) that drops {@code droppedId}. */
  public record Witness(String droppedId, String keptId, boolean anchor, double score,
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
   * Key groups when the recipe sets no {@code dedup.shards}: 512 on a cluster runner (every
   * slot gets keys, each group a bounded slice); on the DirectRunner, which builds a DoFn
   * evaluator per key group and copies a key's grouped state for every bundle that touches
   * it, 8 per core (all of its state is in memory anyway). Measured on 100,000 texts with
   * {@code bench dedup}.
   */
  static int shardsFor(PipelineOptions options) {
    return "DirectRunner".equals(options.getRunner().getSimpleName())
        ? 8 * Runtime.getRuntime().availableProcessors() : 512;
  }

  /** Which of {@code shards} groups a key lands in (buckets, and ids for the join). */
  static int shard(long key, int shards) {
    return (int) Math.floorMod(key * 0x9e3779b97f4a7c15L >>> 17, (long) shards);
  }

  /**
   * One method: sketch, bucket, confirm, join back. Buckets and ids are grouped into {@code
   * dedup.shards} groups (default {@link #shardsFor}) rather than one group per bucket or per id: each group
   * still holds a bounded slice, and runners that pay per key group (the DirectRunner makes one
   * bundle per group) stay fast.
   */
  static final class ByMethod<P> extends RecordStage<P, P> {
    private final String method;
    private final Settings settings;
    private final PCollection<Record<P>> anchors;

    ByMethod(String method, Settings settings, PCollection<Record<P>> anchors) {
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
    private final Settings s;
    private final boolean anchor;
    private transient HyperplaneLsh hyperplanes;
    private transient MinHash minhash;
    private transient Map<Integer, List<KV<Long, Sketch>>> pending;
    private transient int held;

    SketchFn(String method, Settings s, boolean anchor) {
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
              Seeds.of(s.seed(), "hyperplanes", STAGE));
        }
        sketch = new Sketch(c.id(), anchor, score, v, null);
        keys = hyperplanes.keys(v);
      } else {
        if (minhash == null) {
          minhash = new MinHash(s.lexicalBands(), s.lexicalRows(),
              Seeds.of(s.seed(), "minhash", STAGE));
        }
        int[] sh = MinHash.shingles(s.lexicalText().of(c), s.wordShingles(), s.shingleSize());
        sketch = new Sketch(c.id(), anchor, score, null, sh);
        keys = minhash.keys(sh);
      }
      boolean global = window instanceof GlobalWindow;
      for (long k : keys) {
        int shard = shard(k, s.shards());
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

    BucketFn(String method, Settings s) {
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
              out.output(KV.of(shard(Seeds.hash(x.id()), shards), new Witness(x.id(), y.id(),
                  y.anchor(), y.score(), Math.round(sim * 10000) / 10000.0)));
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
      out.output(KV.of(shard(Seeds.hash(c.id()), shards), Json.bytes(c)));
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
        out.get(RecordFn.FAILURES).output(Rejected.of(c, STAGE, "near_duplicate:" + method,
            String.format(Locale.ROOT, "near-duplicate of %s%s (%s %.4f)", w.keptId(),
                w.anchor() ? " (accepted earlier)" : "", measure, w.similarity())));
      }
    }
  }
}
