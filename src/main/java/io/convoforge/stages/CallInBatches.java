package io.convoforge.stages;

import io.convoforge.backend.Generator;
import io.convoforge.backend.GeneratorFactory;
import io.convoforge.model.Conversation;
import io.convoforge.model.JsonCoder;
import io.convoforge.model.Rejected;
import io.convoforge.util.Seeds;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;

/**
 * Runs a {@link BackendFn} for a remote backend: keys elements by a fixed number of shards (each
 * shard owns 1/shards of the run's rate budget, so the budget holds across workers with no
 * external service), groups them with {@link GroupIntoBatches} (bounded buffering), and calls
 * the backend for a batch's elements concurrently, up to the backend's in-flight cap.
 *
 * <p>In: conversations. Out: the stage's output and its {@link Rejected} records, one per input
 * element. Retries and throttling are the generator's; a {@link RejectException} becomes a
 * failure; any other exception fails the bundle so the runner retries it (the response cache
 * makes that retry free of already-paid calls).
 */
final class CallInBatches {
  private CallInBatches() {}

  static WithFailures.Result<PCollection<Conversation>, Rejected> apply(
      PCollection<Conversation> input, String name, BackendFn fn,
      GeneratorFactory.Batching b) {
    PCollection<KV<Integer, Conversation>> keyed = input
        .apply(name + "KeyByShard", ParDo.of(new KeyByShardFn(b.shards())))
        .setCoder(KvCoder.of(VarIntCoder.of(), JsonCoder.of(Conversation.class)));
    PCollectionTuple t = keyed
        .apply(name + "Batch", GroupIntoBatches.<Integer, Conversation>ofSize(b.batchSize())
            .withMaxBufferingDuration(Duration.millis(b.maxBufferingMillis())))
        .apply(name, ParDo.of(new CallBatchFn(fn, b.concurrency()))
            .withOutputTags(ConversationFn.OUTPUT, TupleTagList.of(ConversationFn.FAILURES)));
    t.get(ConversationFn.OUTPUT).setCoder(JsonCoder.of(Conversation.class));
    t.get(ConversationFn.FAILURES).setCoder(JsonCoder.of(Rejected.class));
    return WithFailures.Result.of(t, ConversationFn.OUTPUT, ConversationFn.FAILURES);
  }

  /** Keys each element by the shard its id hashes to (the same shard the generator throttles). */
  static final class KeyByShardFn extends DoFn<Conversation, KV<Integer, Conversation>> {
    private final int shards;

    KeyByShardFn(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void processElement(@Element Conversation c,
        OutputReceiver<KV<Integer, Conversation>> out) {
      out.output(KV.of((int) Math.floorMod(Seeds.hash(c.id()), (long) shards), c));
    }
  }

  /** Calls the wrapped stage function for every element of a batch on a bounded thread pool. */
  static final class CallBatchFn extends DoFn<KV<Integer, Iterable<Conversation>>, Conversation> {
    private final BackendFn fn;
    private final int threads;
    private final Counter accepted;
    private final Counter rejected;
    private transient ExecutorService pool;
    private transient List<Generator> opened;
    private transient ThreadLocal<Worker> worker;

    private record Worker(BackendFn fn, Generator generator) {}

    CallBatchFn(BackendFn fn, int threads) {
      this.fn = fn;
      this.threads = threads;
      this.accepted = Metrics.counter(ConversationFn.class, fn.stage() + "_out");
      this.rejected = Metrics.counter(ConversationFn.class, fn.stage() + "_rejected");
    }

    @Setup
    public void setup() {
      pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "convoforge-" + fn.stage() + "-call");
        t.setDaemon(true);
        return t;
      });
      opened = new ArrayList<>();
      // Each call thread gets its own copy of the stage function (and so of the context's lazy
      // caches) and its own generator, as if it were a DoFn instance of its own.
      worker = ThreadLocal.withInitial(() -> {
        BackendFn copy = SerializableUtils.clone(fn);
        Generator g = copy.ctx.backend().open(copy.ctx, copy.stage());
        synchronized (opened) {
          opened.add(g);
        }
        return new Worker(copy, g);
      });
    }

    @ProcessElement
    public void processElement(@Element KV<Integer, Iterable<Conversation>> batch,
        MultiOutputReceiver out) throws InterruptedException {
      List<Conversation> in = new ArrayList<>();
      List<Future<Conversation>> results = new ArrayList<>();
      // Calls run on pool threads; they report metrics into this bundle's container.
      MetricsContainer metrics = MetricsEnvironment.getCurrentContainer();
      for (Conversation c : batch.getValue()) {
        in.add(c);
        results.add(pool.submit(() -> {
          try (Closeable scope = MetricsEnvironment.scopedMetricsContainer(metrics)) {
            Worker w = worker.get();
            return w.fn().apply(c, w.generator());
          }
        }));
      }
      for (int i = 0; i < in.size(); i++) {
        try {
          out.get(ConversationFn.OUTPUT).output(results.get(i).get());
          accepted.inc();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RejectException) {
            RejectException r = (RejectException) e.getCause();
            rejected.inc();
            out.get(ConversationFn.FAILURES).output(Rejected.of(in.get(i), fn.stage(),
                r.reason(), r.getMessage(), r.rawResponse()));
          } else {
            throw new IllegalStateException(fn.stage() + " failed on " + in.get(i).id(),
                e.getCause());
          }
        }
      }
    }

    @Teardown
    public void teardown() {
      if (pool != null) {
        pool.shutdownNow();
      }
      if (opened != null) {
        synchronized (opened) {
          for (Generator g : opened) {
            g.close();
          }
        }
      }
    }
  }
}
