package io.convoforge.core.stages;

import io.convoforge.core.dedup.Sketch;
import io.convoforge.core.embed.EmbedText;
import io.convoforge.core.input.InputException;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.JsonCoder;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCodec;
import io.convoforge.core.model.RecordCoder;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.core.util.RunnerOptions;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

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
  private final long expected;

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
      EmbedConversations.Settings anchorEmbedding, long expected) {
    super("Deduplicate");
    this.settings = settings;
    this.anchorCodec = anchorCodec;
    this.anchorEmbedding = anchorEmbedding;
    this.expected = expected;
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
    return new Deduplicate<>(s, codec, s.methods().contains("semantic") ? embedding : null,
        recipe.count() == null ? 0 : recipe.count());
  }

  /**
   * The same, sized for about {@code n} elements (the run's expected count; null keeps the
   * recipe's {@code count}): only the default number of key groups depends on it.
   */
  public Deduplicate<P> expecting(Long n) {
    return n == null ? this : new Deduplicate<>(settings, anchorCodec, anchorEmbedding, n);
  }

  /** A dedup with explicit settings and no anchors. */
  public static <P> Deduplicate<P> of(Settings settings) {
    return new Deduplicate<>(settings, null, null, 0);
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
        : settings.withShards(shardsFor(input.getPipeline().getOptions(), expected,
            Math.max(settings.semanticBands(), settings.lexicalBands())));
    PCollection<Record<P>> current = input;
    PCollectionList<Rejected> failures = PCollectionList.empty(input.getPipeline());
    for (String method : settings.methods()) {
      StageResult<P> r = current.apply(
          "semantic".equals(method) ? "Semantic" : "Lexical",
          new DedupBuckets.ByMethod<>(method, resolved, anchors));
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

  /**
   * Key groups when the recipe sets no {@code dedup.shards}. On the DirectRunner, which builds
   * a DoFn evaluator per key group and copies a key's grouped state for every bundle that
   * touches it, 8 per core (all of its state is in memory anyway; measured on 100,000 texts
   * with {@code bench dedup}). On a cluster runner, derived from the job's parallelism
   * ({@link RunnerOptions#parallelism}): {@value #GROUPS_PER_SLOT} per slot, so every slot gets
   * work, and more when {@code expected} elements times {@code bands} sketch entries would put
   * over {@value #MAX_ENTRIES_PER_GROUP} entries in one group (a group's buckets are held in
   * memory when its pairs are confirmed; a semantic entry carries its 384-float vector, ~1.6 KB).
   * The near-duplicate gate ({@code NearDuplicatePairs}) uses the same rule for its bands.
   */
  public static int shardsFor(PipelineOptions options, long expected, int bands) {
    if (RunnerOptions.isDirect(options)) {
      return 8 * Runtime.getRuntime().availableProcessors();
    }
    long bySize = (expected * Math.max(1, bands) + MAX_ENTRIES_PER_GROUP - 1)
        / MAX_ENTRIES_PER_GROUP;
    return (int) Math.min(MAX_GROUPS, Math.max((long) GROUPS_PER_SLOT
        * RunnerOptions.parallelism(options), bySize));
  }

  static final int GROUPS_PER_SLOT = 4;
  static final int MAX_ENTRIES_PER_GROUP = 20_000;
  static final int MAX_GROUPS = 65_536;

  /**
   * Which of {@code shards} groups a key lands in (dedup buckets and ids, the near-duplicate
   * gate's bands).
   */
  public static int shard(long key, int shards) {
    return (int) Math.floorMod(key * 0x9e3779b97f4a7c15L >>> 17, (long) shards);
  }
}
