package io.convoforge.stages;

import io.convoforge.embed.EmbedText;
import io.convoforge.embed.Embedder;
import io.convoforge.embed.EmbedderFactory;
import io.convoforge.embed.Embedders;
import io.convoforge.embed.Vectors;
import io.convoforge.model.Conversation;
import io.convoforge.model.JsonCoder;
import io.convoforge.model.Rejected;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Embeds each conversation's text (recipe {@code embed.text}: dialogue, user or first_request)
 * with the recipe's embedder ({@code embed.provider}, default the local ONNX model {@code
 * embed.model}; {@code openai}, {@code gemini} or {@code vertex} call the endpoint of the
 * recipe's {@code llm} settings, with the LLM stages' throttle and cache) and stores the unit
 * vector in {@code metadata.embedding}.
 *
 * <p>Batching: elements are buffered per bundle and embedded {@code embed.batch_size} (default
 * 64) at a time, the rest at the end of the bundle. The embedder is opened in {@code @Setup}; the
 * local one is a per-JVM singleton, so the model loads once per worker whatever the number of
 * DoFn instances. In: any conversations. Out: the same with a vector. Failures: none (an embedder
 * error fails the bundle, and the runner retries it).
 */
public final class EmbedConversations extends ConversationStage {
  public static final String STAGE = "embed";
  public static final int DEFAULT_BATCH = 64;
  private final EmbedderFactory embedder;
  private final EmbedText text;
  private final int batchSize;

  private EmbedConversations(EmbedderFactory embedder, EmbedText text, int batchSize) {
    super("EmbedConversations");
    this.embedder = embedder;
    this.text = text;
    this.batchSize = batchSize;
  }

  public static EmbedConversations using(StageContext ctx) {
    Map<String, Object> s = ctx.recipe().section("embed");
    Object b = s.get("batch_size");
    EmbedderFactory f = Embedders.create(s, ctx.recipe().section("llm"), ctx.runId());
    return new EmbedConversations(f, EmbedText.parse(s.get("text")),
        b instanceof Number n ? n.intValue() : DEFAULT_BATCH);
  }

  public static EmbedConversations with(EmbedderFactory embedder, EmbedText text) {
    return new EmbedConversations(embedder, text, DEFAULT_BATCH);
  }

  public EmbedConversations withBatchSize(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + n);
    }
    return new EmbedConversations(embedder, text, n);
  }

  @Override
  public WithFailures.Result<PCollection<Conversation>, Rejected> expand(
      PCollection<Conversation> input) {
    PCollectionTuple t = input.apply("Embed",
        ParDo.of(new EmbedFn(embedder, text, batchSize))
            .withOutputTags(ConversationFn.OUTPUT, TupleTagList.of(ConversationFn.FAILURES)));
    t.get(ConversationFn.OUTPUT).setCoder(JsonCoder.of(Conversation.class));
    t.get(ConversationFn.FAILURES).setCoder(JsonCoder.of(Rejected.class));
    return WithFailures.Result.of(t, ConversationFn.OUTPUT, ConversationFn.FAILURES);
  }

  /** Metric (of {@code EmbedFn}): wall-clock ms at which each batch started. */
  public static final String BATCH_START_EPOCH_MS = "batch_start_epoch_ms";
  /** Metric (of {@code EmbedFn}): wall-clock ms at which each batch ended. */
  public static final String BATCH_END_EPOCH_MS = "batch_end_epoch_ms";

  /** The class the embed stage's metrics are reported under. */
  public static Class<?> metricsNamespace() {
    return EmbedFn.class;
  }

  /** Buffers a bundle's elements and embeds them a batch at a time. */
  static final class EmbedFn extends DoFn<Conversation, Conversation> {
    private final Counter embedded = Metrics.counter(EmbedFn.class, "embedded");
    private final Distribution batchMillis = Metrics.distribution(EmbedFn.class, "batch_millis");
    /** Wall-clock start and end of every batch: min of one to max of the other is the span. */
    private final Distribution batchStart =
        Metrics.distribution(EmbedFn.class, BATCH_START_EPOCH_MS);
    private final Distribution batchEnd = Metrics.distribution(EmbedFn.class, BATCH_END_EPOCH_MS);
    private final EmbedderFactory factory;
    private final EmbedText text;
    private final int batchSize;
    private transient Embedder embedder;
    private transient List<Pending> buffer;

    private record Pending(Conversation c, Instant ts, BoundedWindow window) {}

    EmbedFn(EmbedderFactory factory, EmbedText text, int batchSize) {
      this.factory = factory;
      this.text = text;
      this.batchSize = batchSize;
    }

    @Setup
    public void setup() {
      embedder = factory.open();
    }

    @Teardown
    public void teardown() {
      if (embedder != null) {
        embedder.close();
      }
    }

    @StartBundle
    public void startBundle() {
      buffer = new ArrayList<>(batchSize);
    }

    @ProcessElement
    public void process(@Element Conversation c, @Timestamp Instant ts, BoundedWindow w,
        MultiOutputReceiver out) {
      buffer.add(new Pending(c, ts, w));
      if (buffer.size() >= batchSize) {
        for (Pending p : flush()) {
          out.get(ConversationFn.OUTPUT).output(p.c());
        }
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext ctx) {
      for (Pending p : flush()) {
        ctx.output(ConversationFn.OUTPUT, p.c(), p.ts(), p.window());
      }
    }

    private List<Pending> flush() {
      if (buffer.isEmpty()) {
        return List.of();
      }
      List<String> texts = new ArrayList<>(buffer.size());
      for (Pending p : buffer) {
        texts.add(text.of(p.c()));
      }
      long start = System.nanoTime();
      batchStart.update(System.currentTimeMillis());
      List<float[]> vectors = embedder.embed(texts);
      batchMillis.update((System.nanoTime() - start) / 1_000_000);
      batchEnd.update(System.currentTimeMillis());
      List<Pending> done = new ArrayList<>(buffer.size());
      for (int i = 0; i < buffer.size(); i++) {
        Pending p = buffer.get(i);
        done.add(new Pending(Vectors.with(p.c(), vectors.get(i)), p.ts(), p.window()));
      }
      embedded.inc(done.size());
      buffer = new ArrayList<>(batchSize);
      return done;
    }
  }
}
