package io.convoforge.core.family;

import io.convoforge.core.model.JsonCoder;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Statistics over a run's elements for its report, combined inside the pipeline: a mergeable
 * accumulation of type {@code A} (plain fields, coded as JSON) whose output is a JSON-shaped map.
 * The core's statistics and each family's ({@link FamilyRun#summary}) are ones.
 */
public abstract class Summary<T, A> extends Combine.CombineFn<T, A, Map<String, Object>> {
  private final Class<A> accumulator;

  protected Summary(Class<A> accumulator) {
    this.accumulator = accumulator;
  }

  @Override
  public Coder<A> getAccumulatorCoder(CoderRegistry registry, Coder<T> input) {
    return JsonCoder.of(accumulator);
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Coder<Map<String, Object>> getDefaultOutputCoder(CoderRegistry registry,
      Coder<T> input) {
    return (Coder) JsonCoder.of(Map.class);
  }
}
