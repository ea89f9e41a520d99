package io.convoforge.core.stages;

import io.convoforge.core.llm.Backend;
import io.convoforge.core.llm.Backends;
import io.convoforge.core.model.Record;
import io.convoforge.core.util.RunnerOptions;
import io.convoforge.core.util.Seeds;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;

/**
 * Runs a model-calling {@link RecordFn} for a remote backend: keys elements by shards ({@code
 * llm.shards}; unset, one on the DirectRunner and the job's parallelism on a cluster, so every
 * worker calls), groups them with {@link GroupIntoBatches} (bounded buffering), and runs the
 * function on a batch's elements concurrently, up to the backend's in-flight cap. On the
 * DirectRunner each shard owns 1/shards of the run's budget; on a cluster each worker JVM takes
 * its part of the whole budget from the others calling at the time ({@link
 * Backends#onCluster}), so the budget holds however the runner places the shards.
 *
 * <p>In: records. Out: what the function emits for each, as {@link RecordFn} would. Retries and
 * throttling are the model session's; a rejection becomes a failure; any other exception fails
 * the bundle so the runner retries it (the response cache makes that retry free of
 * already-paid calls).
 */
final class CallInBatches {
  private CallInBatches() {}

  static <I, O> StageResult<O> apply(PCollection<Record<I>> input, String name,
      RecordFn<I, O> fn, Coder<Record<O>> coder, Backend.Batching b) {
    PipelineOptions options = input.getPipeline().getOptions();
    int cluster = RunnerOptions.isDirect(options) ? 0 : RunnerOptions.parallelism(options);
    int shards = b.shards() > 0 ? b.shards() : Math.max(1, cluster);
    PCollection<KV<Integer, Record<I>>> keyed = input
        .apply(name + "KeyByShard", ParDo.of(new KeyByShardFn<I>(shards)))
        .setCoder(KvCoder.of(VarIntCoder.of(), input.getCoder()));
    PCollectionTuple t = keyed
        .apply(name + "Batch", GroupIntoBatches.<Integer, Record<I>>ofSize(b.batchSize())
            .withMaxBufferingDuration(Duration.millis(b.maxBufferingMillis())))
        .apply(name, ParDo.of(new CallBatchFn<>(fn, b.concurrency(), cluster))
            .withOutputTags(fn.output,
                TupleTagList.of(RecordFn.FAILURES).and(RecordFn.CREATED)));
    return RecordStage.result(t, fn, coder);
  }

  /**
   * Keys each element by the shard its id hashes to (on the DirectRunner, the same shard the
   * session throttles).
   */
  static final class KeyByShardFn<I> extends DoFn<Record<I>, KV<Integer, Record<I>>> {
    private final int shards;

    KeyByShardFn(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void processElement(@Element Record<I> r, OutputReceiver<KV<Integer, Record<I>>> out) {
      out.output(KV.of((int) Math.floorMod(Seeds.hash(r.id()), (long) shards), r));
    }
  }

  /** Runs the wrapped stage function for every element of a batch on a bounded thread pool. */
  static final class CallBatchFn<I, O> extends DoFn<KV<Integer, Iterable<Record<I>>>, Record<O>> {
    private final RecordFn<I, O> fn;
    private final int threads;
    private final int clusterParallelism;
    private transient ExecutorService pool;
    private transient List<RecordFn<I, O>> opened;
    private transient ThreadLocal<RecordFn<I, O>> worker;

    /** {@code clusterParallelism}: 0 on the DirectRunner, else the job's parallelism. */
    CallBatchFn(RecordFn<I, O> fn, int threads, int clusterParallelism) {
      this.fn = fn;
      this.threads = threads;
      this.clusterParallelism = clusterParallelism;
    }

    @Setup
    public void setup() {
      if (clusterParallelism > 0) {
        Backends.onCluster(clusterParallelism);
      }
      pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "convoforge-" + fn.stage() + "-call");
        t.setDaemon(true);
        return t;
      });
      opened = new ArrayList<>();
      // Each call thread gets its own copy of the stage function, opened as if it were a DoFn
      // instance of its own (its own model session, its own lazy caches).
      worker = ThreadLocal.withInitial(() -> {
        RecordFn<I, O> copy = SerializableUtils.clone(fn);
        copy.open();
        synchronized (opened) {
          opened.add(copy);
        }
        return copy;
      });
    }

    @ProcessElement
    public void processElement(@Element KV<Integer, Iterable<Record<I>>> batch,
        MultiOutputReceiver out) throws InterruptedException {
      List<Record<I>> in = new ArrayList<>();
      List<Future<RecordFn.Outcome<O>>> results = new ArrayList<>();
      // Calls run on pool threads; they report metrics into this bundle's container.
      MetricsContainer metrics = MetricsEnvironment.getCurrentContainer();
      for (Record<I> r : batch.getValue()) {
        in.add(r);
        results.add(pool.submit(() -> {
          try (Closeable scope = MetricsEnvironment.scopedMetricsContainer(metrics)) {
            return worker.get().run(r);
          }
        }));
      }
      for (int i = 0; i < in.size(); i++) {
        try {
          fn.emit(results.get(i).get(), out);
        } catch (ExecutionException e) {
          throw new IllegalStateException(fn.stage() + " failed on " + in.get(i).id(),
              e.getCause());
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
          for (RecordFn<I, O> f : opened) {
            f.close();
          }
        }
      }
    }
  }
}
