package io.convoforge.core.stages;

import io.convoforge.core.embed.EmbedText;
import io.convoforge.core.embed.Embedded;
import io.convoforge.core.embed.Embedder;
import io.convoforge.core.embed.EmbedderFactory;
import io.convoforge.core.embed.Embedders;
import io.convoforge.core.llm.Backends;
import io.convoforge.core.model.JsonCoder;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.core.util.RunnerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Embeds each record's dialogue text (recipe {@code embed.text}: dialogue, user or
 * first_request) with the recipe's embedder ({@code embed.provider}, default the local ONNX
 * model {@code embed.model}; {@code openai}, {@code gemini} or {@code vertex} call the endpoint
 * of the recipe's {@code llm} settings, with the LLM stages' throttle and cache) and stores the
 * unit vector in the record's {@code embedding}.
 *
 * <p>Batching: elements are buffered per bundle and embedded {@code embed.batch_size} (default
 * 64) at a time, the rest at the end of the bundle. The embedder is opened in {@code @Setup}; the
 * local one is a per-JVM singleton, so the model loads once per worker whatever the number of
 * DoFn instances. In: any records. Out: the same with a vector. Failures: an element whose text
 * a remote provider would not embed (a permanent error such as 401, 404 for an unknown model or
 * 400, or the last attempt failing) is rejected {@code llm_error} with the provider's reason,
 * instead of failing the bundle (a runner would retry it until it gave up); any other embedder
 * error fails the bundle.
 */
public final class EmbedConversations<P> extends RecordStage<P, P> {
  public static final String STAGE = "embed";
  public static final int DEFAULT_BATCH = 64;
  /** Metric (of {@code EmbedFn}): wall-clock ms at which each batch started. */
  public static final String BATCH_START_EPOCH_MS = "batch_start_epoch_ms";
  /** Metric (of {@code EmbedFn}): wall-clock ms at which each batch ended. */
  public static final String BATCH_END_EPOCH_MS = "batch_end_epoch_ms";

  private final Settings settings;

  /** The recipe's {@code embed} section, resolved into an embedder and what to embed. */
  public record Settings(EmbedderFactory embedder, EmbedText text, int batchSize)
      implements java.io.Serializable {
    public Settings {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
      }
    }

    public static Settings from(Recipe recipe, String runId) {
      Map<String, Object> s = recipe.section("embed");
      Object b = s.get("batch_size");
      return new Settings(Embedders.create(s, recipe.section("llm"), runId),
          EmbedText.parse(s.get("text")), b instanceof Number n ? n.intValue() : DEFAULT_BATCH);
    }
  }

  private EmbedConversations(Settings settings) {
    super("EmbedConversations");
    this.settings = settings;
  }

  public static <P> EmbedConversations<P> of(Settings settings) {
    return new EmbedConversations<>(settings);
  }

  public static <P> EmbedConversations<P> with(EmbedderFactory embedder, EmbedText text) {
    return new EmbedConversations<>(new Settings(embedder, text, DEFAULT_BATCH));
  }

  @Override
  public StageResult<P> expand(PCollection<Record<P>> input) {
    PipelineOptions options = input.getPipeline().getOptions();
    EmbedFn<P> fn = new EmbedFn<>(settings,
        RunnerOptions.isDirect(options) ? 0 : RunnerOptions.parallelism(options));
    PCollectionTuple t = input.apply("Embed",
        ParDo.of(fn).withOutputTags(fn.output, TupleTagList.of(RecordFn.FAILURES)));
    return StageResult.of(t.get(fn.output).setCoder(input.getCoder()),
        t.get(RecordFn.FAILURES).setCoder(JsonCoder.of(Rejected.class)));
  }

  /** The class the embed stage's metrics are reported under. */
  public static Class<?> metricsNamespace() {
    return EmbedFn.class;
  }

  /** Buffers a bundle's elements and embeds them a batch at a time. */
  static final class EmbedFn<P> extends DoFn<Record<P>, Record<P>> {
    final TupleTag<Record<P>> output = new TupleTag<>("output");
    private final Counter embedded = Metrics.counter(EmbedFn.class, "embedded");
    private final Counter rejected = Metrics.counter(EmbedFn.class, "rejected");
    private final Distribution batchMillis = Metrics.distribution(EmbedFn.class, "batch_millis");
    /** Wall-clock start and end of every batch: min of one to max of the other is the span. */
    private final Distribution batchStart =
        Metrics.distribution(EmbedFn.class, BATCH_START_EPOCH_MS);
    private final Distribution batchEnd = Metrics.distribution(EmbedFn.class, BATCH_END_EPOCH_MS);
    private final Settings settings;
    private final int clusterParallelism;
    private transient Embedder embedder;
    private transient List<Pending<P>> buffer;

    private record Pending<P>(Record<P> r, Instant ts, BoundedWindow window) {}

    private record Failed(Rejected r, Instant ts, BoundedWindow window) {}

    /** {@code clusterParallelism}: 0 on the DirectRunner, else the job's parallelism. */
    EmbedFn(Settings settings, int clusterParallelism) {
      this.settings = settings;
      this.clusterParallelism = clusterParallelism;
    }

    @Setup
    public void setup() {
      if (clusterParallelism > 0) {
        // A remote embedder's calls take this worker's part of the run-wide budget.
        Backends.onCluster(clusterParallelism);
      }
      embedder = settings.embedder().open();
    }

    @Teardown
    public void teardown() {
      if (embedder != null) {
        embedder.close();
      }
    }

    @StartBundle
    public void startBundle() {
      buffer = new ArrayList<>(settings.batchSize());
    }

    @ProcessElement
    public void process(@Element Record<P> r, @Timestamp Instant ts, BoundedWindow w,
        MultiOutputReceiver out) {
      buffer.add(new Pending<>(r, ts, w));
      if (buffer.size() >= settings.batchSize()) {
        Done<P> done = flush();
        for (Pending<P> p : done.embedded()) {
          out.get(output).output(p.r());
        }
        for (Failed p : done.rejected()) {
          out.get(RecordFn.FAILURES).output(p.r());
        }
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext ctx) {
      Done<P> done = flush();
      for (Pending<P> p : done.embedded()) {
        ctx.output(output, p.r(), p.ts(), p.window());
      }
      for (Failed p : done.rejected()) {
        ctx.output(RecordFn.FAILURES, p.r(), p.ts(), p.window());
      }
    }

    /** A flushed batch: the records with their vectors, and the rejections. */
    private record Done<P>(List<Pending<P>> embedded, List<Failed> rejected) {}

    private Done<P> flush() {
      if (buffer.isEmpty()) {
        return new Done<>(List.of(), List.of());
      }
      List<String> texts = new ArrayList<>(buffer.size());
      for (Pending<P> p : buffer) {
        texts.add(settings.text().of(p.r()));
      }
      long start = System.nanoTime();
      batchStart.update(System.currentTimeMillis());
      Embedded e = embedder.embedEach(texts);
      batchMillis.update((System.nanoTime() - start) / 1_000_000);
      batchEnd.update(System.currentTimeMillis());
      List<Pending<P>> done = new ArrayList<>(buffer.size());
      List<Failed> failed = new ArrayList<>();
      for (int i = 0; i < buffer.size(); i++) {
        Pending<P> p = buffer.get(i);
        if (e.vectors().get(i) != null) {
          done.add(new Pending<>(p.r().withEmbedding(e.vectors().get(i)), p.ts(), p.window()));
        } else {
          failed.add(new Failed(Rejected.of(p.r(), STAGE, "llm_error", e.errors().get(i)),
              p.ts(), p.window()));
        }
      }
      embedded.inc(done.size());
      rejected.inc(failed.size());
      buffer = new ArrayList<>(settings.batchSize());
      return new Done<>(done, failed);
    }
  }
}
