package io.convoforge.core.stages;

import io.convoforge.core.llm.Backend;
import io.convoforge.core.model.JsonCoder;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The stage interface: a composite transform from records to records that returns its failures
 * (and, for a fan-out, what it created) beside its output, as a {@link StageResult}. Every stage
 * after a family's source is one; the recipe decides which run and in what order. Stages that
 * need more than a per-element function (grouping, joins, side inputs) override {@code expand}
 * freely, as long as they return this shape.
 */
public abstract class RecordStage<I, O> extends PTransform<PCollection<Record<I>>,
    StageResult<O>> {

  protected RecordStage(String name) {
    super(name);
  }

  /**
   * Applies a per-element {@link RecordFn} named {@code name} with every output's coder set;
   * a function that calls the model of a remote {@code backend} goes through {@link
   * CallInBatches} (sharded budget, batched and concurrent calls).
   */
  protected static <I, O> StageResult<O> applyFn(PCollection<Record<I>> input, String name,
      RecordFn<I, O> fn, Coder<Record<O>> coder, Backend backend) {
    if (fn.callsModel() && backend != null && backend.batching(fn.stage()) != null) {
      return CallInBatches.apply(input, name, fn, coder, backend.batching(fn.stage()));
    }
    PCollectionTuple t = input.apply(name, ParDo.of(fn).withOutputTags(fn.output,
        TupleTagList.of(RecordFn.FAILURES).and(RecordFn.CREATED)));
    return result(t, fn, coder);
  }

  /** {@link #applyFn} for a function that keeps the input's payload type and coder. */
  protected static <P> StageResult<P> applyFn(PCollection<Record<P>> input, String name,
      RecordFn<P, P> fn, Backend backend) {
    return applyFn(input, name, fn, input.getCoder(), backend);
  }

  static <I, O> StageResult<O> result(PCollectionTuple t, RecordFn<I, O> fn,
      Coder<Record<O>> coder) {
    PCollection<Record<O>> out = t.get(fn.output).setCoder(coder);
    PCollection<Rejected> failures =
        t.get(RecordFn.FAILURES).setCoder(JsonCoder.of(Rejected.class));
    PCollection<Long> created = t.get(RecordFn.CREATED).setCoder(VarLongCoder.of());
    return StageResult.of(out, failures, created);
  }
}
