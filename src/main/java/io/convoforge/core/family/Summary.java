package io.convoforge.core.family;

import io.convoforge.core.model.JsonCoder;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;
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

  /** {@code fn} over all of {@code in}: one map (the empty accumulation's when there is none). */
  public static <T> PCollection<Map<String, Object>> globally(PCollection<T> in,
      Summary<T, ?> fn) {
    return in.apply("Summarize" + fn.getClass().getSimpleName(), Combine.globally(fn));
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
