package io.convoforge.core.stages;

import io.convoforge.core.llm.Backend;
import io.convoforge.core.llm.Backends;
import io.convoforge.core.llm.BatchScope;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
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
 * <p>In batch mode ({@code llm.mode: batch}) a group is instead one set of provider batches:
 * {@link ProviderBatchFn} runs each element's work on one thread inside a {@link BatchScope},
 * which collects the requests it cannot answer yet, has them answered in batches, and runs the
 * waiting elements again (see {@link BatchScope}).
 *
 * <p>In: records. Out: what the function emits for each, as {@link RecordFn} would. Retries and
 * throttling are the model session's; a rejection becomes a failure; any other exception fails
 * the bundle so the runner retries it (the response cache makes that retry free of
 * already-paid calls, and batch manifests free of already-submitted batches).
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
        .apply(name, ParDo.of(b.providerBatches() ? new ProviderBatchFn<>(fn)
                : new CallBatchFn<>(fn, b.concurrency(), cluster))
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

  /**
   * Batch mode: runs a group's elements on this thread in passes. A pass whose element asked a
   * question not answered yet is discarded; when every element has had its pass, the scope
   * settles the group's questions through provider batches (blocking, for as long as the
   * provider takes) and the waiting elements run again. An element still asking new questions
   * after {@link #MAX_PASSES} passes (its requests are not a function of the element) is
   * rejected {@code llm_unavailable}.
   */
  static final class ProviderBatchFn<I, O>
      extends DoFn<KV<Integer, Iterable<Record<I>>>, Record<O>> {
    static final int MAX_PASSES = 12;
    private final RecordFn<I, O> fn;

    ProviderBatchFn(RecordFn<I, O> fn) {
      this.fn = fn;
    }

    @Setup
    public void setup() {
      fn.open();
    }

    @ProcessElement
    public void processElement(@Element KV<Integer, Iterable<Record<I>>> batch,
        MultiOutputReceiver out) {
      List<Record<I>> in = new ArrayList<>();
      batch.getValue().forEach(in::add);
      List<RecordFn.Outcome<O>> outcomes = new ArrayList<>();
      List<Integer> todo = new ArrayList<>();
      for (int i = 0; i < in.size(); i++) {
        outcomes.add(null);
        todo.add(i);
      }
      try (BatchScope scope = BatchScope.open()) {
        for (int pass = 1; !todo.isEmpty(); pass++) {
          List<Integer> waiting = new ArrayList<>();
          for (int i : todo) {
            scope.startPass();
            RecordFn.Outcome<O> o = fn.run(in.get(i));
            if (scope.passWaits()) {
              waiting.add(i);
            } else {
              outcomes.set(i, o);
            }
          }
          if (waiting.isEmpty()) {
            break;
          }
          if (pass == MAX_PASSES) {
            for (int i : waiting) {
              outcomes.set(i, new RecordFn.Outcome<>(List.of(), List.of(Rejected.of(in.get(i),
                  fn.stage(), "llm_unavailable", fn.stage() + ": still asking new questions"
                      + " after " + MAX_PASSES + " batch rounds (its requests are not a function"
                      + " of the element)")), 0));
            }
            break;
          }
          scope.settle();
          todo = waiting;
        }
      }
      for (RecordFn.Outcome<O> o : outcomes) {
        fn.emit(o, out);
      }
    }

    @Teardown
    public void teardown() {
      fn.close();
    }
  }
}
