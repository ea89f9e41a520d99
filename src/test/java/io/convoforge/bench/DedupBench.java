package io.convoforge.bench;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.convoforge.core.dedup.HyperplaneLsh;
import io.convoforge.core.dedup.MinHash;
import io.convoforge.core.embed.EmbedText;
import io.convoforge.core.embed.LocalOnnxEmbedder;
import io.convoforge.core.embed.Vectors;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Judgement;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCoder;
import io.convoforge.core.run.DatasetDir;
import io.convoforge.core.run.Job;
import io.convoforge.core.run.OutputDir;
import io.convoforge.core.stages.Deduplicate;
import io.convoforge.core.stages.EmbedConversations;
import io.convoforge.core.util.Seeds;
import io.convoforge.family.tooluse.ToolUseCodec;
import io.convoforge.family.tooluse.model.ToolUse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code convoforge bench dedup}: (1) recall of LSH candidate generation against exact all-pairs
 * comparison, on a sample of offline CRM conversations embedded with the local model (semantic)
 * and on their shingles (lexical); (2) embedding throughput inside a pipeline as a ratio to a
 * bare loop over the same model in the same JVM; (3) lexical dedup wall time and peak heap on
 * synthesised texts with planted near-duplicates. Every size is a flag, so a quick run is
 * possible.
 */
final class DedupBench {
  private DedupBench() {}

  static int run(Path recipe, int sample, int embedCount, int lexicalCount, String model,
      List<String> beamArgs) throws IOException {
    System.out.printf("bench dedup on %d cores (max heap %d MiB), model %s%n",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1048576,
        model);
    List<Record<ToolUse>> convs = sample > 0 || embedCount > 0
        ? generate(recipe, Math.max(sample, embedCount), model, beamArgs) : List.of();
    if (sample > 0) {
      recall(convs.subList(0, Math.min(sample, convs.size())));
    }
    if (embedCount > 0) {
      throughput(convs.subList(0, Math.min(embedCount, convs.size())), model, beamArgs);
    }
    if (lexicalCount > 0) {
      lexical(lexicalCount, beamArgs);
    }
    return 0;
  }

  /** Offline CRM conversations up to the filter, embedded by the pipeline (vectors kept). */
  private static List<Record<ToolUse>> generate(Path recipe, int n, String model,
      List<String> beamArgs) throws IOException {
    Path out = Files.createTempDirectory("convoforge-bench-dedup");
    try {
      long t = System.nanoTime();
      Job.run(new Job.Request(recipe, List.of(
          "stages=[sample, plan, args, utterances, judge, filter, embed]",
          "embed.keep=true", "embed.model=" + model), n, out.resolve("run"), true, beamArgs));
      List<Record<ToolUse>> convs = new ArrayList<>();
      for (Record<?> r : DatasetDir.records(out.resolve("run"), new ToolUseCodec())) {
        @SuppressWarnings("unchecked")
        Record<ToolUse> c = (Record<ToolUse>) r;
        convs.add(c);
      }
      convs.sort((a, b) -> a.id().compareTo(b.id()));
      System.out.printf("  generated and embedded %d conversations (%d accepted by the judge)"
          + " in %.1f s%n", n, convs.size(), (System.nanoTime() - t) / 1e9);
      return convs;
    } finally {
      OutputDir.delete(out);
    }
  }

  private static void recall(List<Record<ToolUse>> convs) {
    Deduplicate.Settings s = Deduplicate.Settings.from(Map.of(), Map.of(), 7L);
    int n = convs.size();
    float[][] v = new float[n][];
    int[][] sh = new int[n][];
    for (int i = 0; i < n; i++) {
      v[i] = convs.get(i).embedding();
      sh[i] = MinHash.shingles(EmbedText.DIALOGUE.of(convs.get(i)), true, s.shingleSize());
    }
    HyperplaneLsh lsh = new HyperplaneLsh(s.semanticBands(), s.semanticRows(), v[0].length,
        Seeds.of(s.seed(), "hyperplanes", "dedup"));
    MinHash mh = new MinHash(s.lexicalBands(), s.lexicalRows(), Seeds.of(s.seed(), "minhash",
        "dedup"));
    long[][] sk = new long[n][];
    long[][] lk = new long[n][];
    for (int i = 0; i < n; i++) {
      sk[i] = lsh.keys(v[i]);
      lk[i] = mh.keys(sh[i]);
    }
    long semExact = 0;
    long semFound = 0;
    long semCandidates = 0;
    long lexExact = 0;
    long lexFound = 0;
    long lexCandidates = 0;
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        boolean sc = shareBand(sk[i], sk[j]);
        boolean lc = shareBand(lk[i], lk[j]);
        semCandidates += sc ? 1 : 0;
        lexCandidates += lc ? 1 : 0;
        if (Vectors.dot(v[i], v[j]) >= s.semanticThreshold()) {
          semExact++;
          semFound += sc ? 1 : 0;
        }
        if (MinHash.jaccard(sh[i], sh[j]) >= s.lexicalThreshold()) {
          lexExact++;
          lexFound += lc ? 1 : 0;
        }
      }
    }
    long pairs = (long) n * (n - 1) / 2;
    System.out.printf("  recall on %d conversations (%d pairs compared exactly in %.1f s):%n", n,
        pairs, (System.nanoTime() - t) / 1e9);
    System.out.printf("    semantic (cosine >= %.2f, %d bands x %d rows): %d exact pairs, %d"
            + " found by LSH, recall %.4f (target >= 0.95); candidates %.2f%% of all pairs%n",
        s.semanticThreshold(), s.semanticBands(), s.semanticRows(), semExact, semFound,
        semExact == 0 ? 1.0 : (double) semFound / semExact, 100.0 * semCandidates / pairs);
    System.out.printf("    lexical (Jaccard >= %.2f, %d bands x %d rows): %d exact pairs, %d"
            + " found by LSH, recall %.4f (target >= 0.95); candidates %.2f%% of all pairs%n",
        s.lexicalThreshold(), s.lexicalBands(), s.lexicalRows(), lexExact, lexFound,
        lexExact == 0 ? 1.0 : (double) lexFound / lexExact, 100.0 * lexCandidates / pairs);
  }

  private static boolean shareBand(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b[i]) {
        return true;
      }
    }
    return false;
  }

  private static void throughput(List<Record<ToolUse>> convs, String model,
      List<String> beamArgs) {
    List<Record<ToolUse>> plain = new ArrayList<>();
    List<TextSegment> texts = new ArrayList<>();
    for (Record<ToolUse> c : convs) {
      plain.add(c.withEmbedding(null));
      texts.add(TextSegment.from(EmbedText.DIALOGUE.of(c)));
    }
    // The bare loop: the same model, batches of the same size, LangChain4j's own executor
    // spreading each batch over every core (a separate instance, so a separate pool).
    EmbeddingModel bareModel = LocalOnnxEmbedder.withDefaultExecutor(model);
    bareModel.embedAll(texts.subList(0, Math.min(64, texts.size())));
    int batch = EmbedConversations.DEFAULT_BATCH;
    long t = System.nanoTime();
    for (int i = 0; i < texts.size(); i += batch) {
      bareModel.embedAll(texts.subList(i, Math.min(i + batch, texts.size())));
    }
    double bare = texts.size() / ((System.nanoTime() - t) / 1e9);
    // The stage's input arrives as in a run: the sample shards, each a bundle of its share.
    List<String> lines = plain.stream().map(Json::write).toList();
    Pipeline p = Pipeline.create(Job.options(beamArgs));
    int shards = Job.shards(p.getOptions());
    p.apply(shardIds(shards))
        .apply("Shard", ParDo.of(new ShardFn(lines, shards)))
        .setCoder(CODER)
        .apply(EmbedConversations.<ToolUse>with(
            LocalOnnxEmbedder.fromSettings(Map.of("model", model)), EmbedText.DIALOGUE))
        .output()
        .apply(Count.globally());
    t = System.nanoTime();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    double inPipeline = texts.size() / ((System.nanoTime() - t) / 1e9);
    double span = (metric(result, EmbedConversations.BATCH_END_EPOCH_MS).getMax()
        - metric(result, EmbedConversations.BATCH_START_EPOCH_MS).getMin()) / 1000.0;
    double inStage = texts.size() / span;
    System.out.printf("  embedding throughput on %d dialogues: bare loop %.1f texts/s; in the"
            + " pipeline %.1f texts/s over the embed stage's span (first batch start to last"
            + " batch end), ratio %.2f (target >= 0.9); %.1f texts/s counting the whole"
            + " pipeline run, start-up included, ratio %.2f%n", texts.size(), bare, inStage,
        inStage / bare, inPipeline, inPipeline / bare);
  }

  private static DistributionResult metric(PipelineResult r, String name) {
    for (MetricResult<DistributionResult> d : r.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(EmbedConversations.metricsNamespace(), name))
        .build()).getDistributions()) {
      return d.getAttempted();
    }
    throw new IllegalStateException("the embed stage reported no " + name);
  }

  /** The shard numbers 0..shards-1, the bench pipelines' source. */
  private static Create.Values<Integer> shardIds(int shards) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      ids.add(i);
    }
    return Create.of(ids).withCoder(VarIntCoder.of());
  }

  /** Emits the conversations of one shard (every {@code shards}-th, from {@code shard}). */
  private static final RecordCoder<ToolUse> CODER = RecordCoder.of(ToolUse.class);

  static final class ShardFn extends DoFn<Integer, Record<ToolUse>> {
    private final ArrayList<String> lines;
    private final int shards;

    ShardFn(List<String> lines, int shards) {
      this.lines = new ArrayList<>(lines);
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element Integer shard, OutputReceiver<Record<ToolUse>> out) {
      for (int i = shard; i < lines.size(); i += shards) {
        out.output(CODER.read(lines.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
    }
  }

  private static void lexical(int n, List<String> beamArgs) {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
    Deduplicate.Settings s = Deduplicate.Settings.from(Map.of("methods", List.of("lexical")),
        Map.of(), 7L);
    // As many source shards as the run uses on this runner: few large bundles on the
    // DirectRunner, which copies a key's grouped state once per input bundle.
    Pipeline p = Pipeline.create(Job.options(beamArgs));
    int shards = Job.shards(p.getOptions());
    PCollection<Record<String>> texts = p
        .apply(shardIds(shards))
        .apply("Synthesize", ParDo.of(new SynthesizeFn(n, shards)))
        .setCoder(RecordCoder.of(String.class));
    texts.apply(Deduplicate.<String>of(s)).failures().apply("CountDropped", Count.globally())
        .apply("Print", ParDo.of(new DoFn<Long, Void>() {
          @ProcessElement
          public void process(@Element Long dropped) {
            System.out.printf("  lexical dedup: %d dropped (%d planted)%n", dropped, n / 10);
          }
        }));
    long t = System.nanoTime();
    p.run().waitUntilFinish();
    double seconds = (System.nanoTime() - t) / 1e9;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf("  lexical dedup of %d conversations: %.1f s (target <= 60 s on 2 cores,"
        + " synthesis included), peak heap %.0f MiB%n", n, seconds, peak / 1048576.0);
  }

  /**
   * Texts from templates with varied fillers; every tenth is a planted near-duplicate of the
   * one before (two words changed).
   */
  static final class SynthesizeFn extends DoFn<Integer, Record<String>> {
    private static final String[] VERBS = {"create", "update", "find", "delete", "show", "list",
        "assign", "close", "open", "schedule"};
    private static final String[] OBJECTS = {"contact", "account", "opportunity", "ticket",
        "task", "meeting", "invoice", "lead", "note", "campaign"};
    private final int n;
    private final int shards;

    SynthesizeFn(int n, int shards) {
      this.n = n;
      this.shards = shards;
    }

    static String text(int i) {
      SplittableRandom r = new SplittableRandom(Seeds.hash("bench-" + i));
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < 12; k++) {
        sb.append("please ").append(VERBS[r.nextInt(VERBS.length)]).append(" the ")
            .append(OBJECTS[r.nextInt(OBJECTS.length)]).append(" for customer")
            .append(r.nextInt(5000)).append(" at site").append(r.nextInt(800)).append(". ");
      }
      return sb.toString();
    }

    @ProcessElement
    public void process(@Element Integer shard, OutputReceiver<Record<String>> out) {
      for (int i = shard; i < n; i += shards) {
        String t;
        if (i % 10 == 9) {
          String[] w = text(i - 1).split(" ");
          SplittableRandom r = new SplittableRandom(i);
          w[r.nextInt(w.length)] = "changed";
          w[r.nextInt(w.length)] = "words";
          t = String.join(" ", w);
        } else {
          t = text(i);
        }
        out.output(new Record<>(String.format("b%07d", i), "bench", "bench", Map.of(),
            List.of(Message.of(Message.USER, t)), "", new Judgement(true, 1.0, Map.of()), null,
            Map.of()));
      }
    }
  }

}
