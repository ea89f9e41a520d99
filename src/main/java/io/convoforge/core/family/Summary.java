package io.convoforge.core.family;

import io.convoforge.core.model.JsonCoder;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;

/**
 * Statistics over a run's elements for its report, combined inside the pipeline: a mergeable
 * accumulation of type {@code A} (plain fields, coded as JSON) whose output is a JSON-shaped map.
 * The core's statistics and each family's ({@link FamilyRun#summary}) are ones.
 */
public abstract class Summary<T, A> extends Combine.CombineFn<T, A, Map<String, Object>> {
  /** The coder of a summary's output: its map as JSON. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Coder<Map<String, Object>> MAP_CODER = (Coder) JsonCoder.of(Map.class);

  private final Class<A> accumulator;

  protected Summary(Class<A> accumulator) {
    this.accumulator = accumulator;
  }

  /** Adds {@code from}'s counts into {@code into}, key by key (for {@code mergeAccumulators}). */
  public static <K> void addCounts(Map<K, Long> into, Map<K, Long> from) {
    from.forEach((k, v) -> into.merge(k, v, Long::sum));
  }

  /** The same one level down (key, then value, to a count); {@code fresh} makes an inner map. */
  public static <K, V, M extends Map<V, Long>> void addCounts(Map<K, M> into, Map<K, M> from,
      Supplier<M> fresh) {
    from.forEach((k, m) -> addCounts(into.computeIfAbsent(k, x -> fresh.get()), m));
  }

  /**
   * {@code fn} over all of {@code in}: one map (the empty accumulation's when there is none).
   * Each bundle is first accumulated on its own ({@link Partial}), so the global combine merges
   * one small accumulation per bundle instead of grouping every element under one key, which
   * a runner without combiner lifting (the DirectRunner) re-encodes on every bundle.
   */
  public static <T, A> PCollection<Map<String, Object>> globally(PCollection<T> in,
      Summary<T, A> fn) {
    String name = fn.getClass().getSimpleName();
    return in.apply("Partial" + name, ParDo.of(new Partial<>(fn)))
        .setCoder(JsonCoder.of(fn.accumulator))
        .apply("Summarize" + name, Combine.globally(new Merge<>(fn)));
  }

  /** A bundle's elements accumulated, emitted once when the bundle finishes. */
  private static final class Partial<T, A> extends DoFn<T, A> {
    private final Summary<T, A> fn;
    private transient A acc;

    Partial(Summary<T, A> fn) {
      this.fn = fn;
    }

    @ProcessElement
    public void process(@Element T element) {
      acc = fn.addInput(acc == null ? fn.createAccumulator() : acc, element);
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      if (acc != null) {
        c.output(acc, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
        acc = null;
      }
    }
  }

  /** Merges the bundles' accumulations and extracts {@code fn}'s output. */
  private static final class Merge<T, A> extends Combine.CombineFn<A, A, Map<String, Object>> {
    private final Summary<T, A> fn;

    Merge(Summary<T, A> fn) {
      this.fn = fn;
    }

    @Override
    public A createAccumulator() {
      return fn.createAccumulator();
    }

    @Override
    public A addInput(A into, A partial) {
      return fn.mergeAccumulators(List.of(into, partial));
    }

    @Override
    public A mergeAccumulators(Iterable<A> accs) {
      return fn.mergeAccumulators(accs);
    }

    @Override
    public Map<String, Object> extractOutput(A acc) {
      return fn.extractOutput(acc);
    }

    @Override
    public Coder<A> getAccumulatorCoder(CoderRegistry registry, Coder<A> input) {
      return input;
    }

    @Override
    public Coder<Map<String, Object>> getDefaultOutputCoder(CoderRegistry registry,
        Coder<A> input) {
      return MAP_CODER;
    }
  }

  @Override
  public Coder<A> getAccumulatorCoder(CoderRegistry registry, Coder<T> input) {
    return JsonCoder.of(accumulator);
  }

  @Override
  public Coder<Map<String, Object>> getDefaultOutputCoder(CoderRegistry registry,
      Coder<T> input) {
    return MAP_CODER;
  }
}
