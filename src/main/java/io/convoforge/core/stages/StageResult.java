package io.convoforge.core.stages;

import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What a stage returns: its {@code output} records, its {@code failures} (one {@link Rejected}
 * per element it dropped), and, for a stage that fans out, {@code created}: per input element,
 * how many more elements (outputs and rejections) it made from it than the one it received. For
 * every stage, {@code in + sum(created) = out + rejected}; the funnel of the run report proves it
 * from these collections. {@code created} is null for a stage that never fans out.
 */
public final class StageResult<O> implements PInput, POutput {
  private final PCollection<Record<O>> output;
  private final PCollection<Rejected> failures;
  private final PCollection<Long> created;

  private StageResult(PCollection<Record<O>> output, PCollection<Rejected> failures,
      PCollection<Long> created) {
    this.output = output;
    this.failures = failures;
    this.created = created;
  }

  public static <O> StageResult<O> of(PCollection<Record<O>> output,
      PCollection<Rejected> failures) {
    return new StageResult<>(output, failures, null);
  }

  public static <O> StageResult<O> of(PCollection<Record<O>> output,
      PCollection<Rejected> failures, PCollection<Long> created) {
    return new StageResult<>(output, failures, created);
  }

  public PCollection<Record<O>> output() {
    return output;
  }

  public PCollection<Rejected> failures() {
    return failures;
  }

  /** Elements made beyond one per input, per input element; null: the stage is 1:1. */
  public PCollection<Long> created() {
    return created;
  }

  @Override
  public Pipeline getPipeline() {
    return output.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    Map<TupleTag<?>, PValue> values = new HashMap<>();
    values.put(new TupleTag<>("output"), output);
    values.put(new TupleTag<>("failures"), failures);
    if (created != null) {
      values.put(new TupleTag<>("created"), created);
    }
    return values;
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input,
      PTransform<?, ?> transform) {}
}
