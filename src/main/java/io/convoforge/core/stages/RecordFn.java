package io.convoforge.core.stages;

import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.model.Rejected;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The per-element work of a stage. {@link #process} emits the element's results through an
 * {@link Emitter} (one record for a 1:1 stage, several for a fan-out, and rejections of single
 * children), or throws {@link RejectException}, which becomes one {@link Rejected} record of the
 * element. An element that yields nothing at all is rejected ({@code no_output}): nothing
 * vanishes. Any other exception is a bug and fails the bundle (so the runner retries it).
 *
 * <p>Resources (a model session, a database, a phrase bank) are opened in {@link #open} and
 * closed in {@link #close}: per DoFn instance, or per call thread when {@link CallInBatches}
 * runs the function for a remote backend. Metrics (constant names; Beam's key carries the step):
 * {@code out}, {@code rejected}, {@code created}.
 */
public abstract class RecordFn<I, O> extends DoFn<Record<I>, Record<O>> {
  static final TupleTag<Rejected> FAILURES = new TupleTag<>("failures");
  static final TupleTag<Long> CREATED = new TupleTag<>("created");

  final TupleTag<Record<O>> output = new TupleTag<>("output");
  private final String stage;
  private final boolean callsModel;
  private final Counter outCount = Metrics.counter(RecordFn.class, "out");
  private final Counter rejectedCount = Metrics.counter(RecordFn.class, "rejected");
  private final Counter createdCount = Metrics.counter(RecordFn.class, "created");

  /** A function of {@code stage} that calls no model. */
  protected RecordFn(String stage) {
    this(stage, false);
  }

  /**
   * A function of {@code stage}; {@code callsModel}: it calls the backend's model, so on a
   * remote backend its elements are batched and called concurrently ({@link CallInBatches}).
   */
  protected RecordFn(String stage, boolean callsModel) {
    this.stage = stage;
    this.callsModel = callsModel;
  }

  public final String stage() {
    return stage;
  }

  final boolean callsModel() {
    return callsModel;
  }

  /** Opens what the function needs (called once per instance or call thread). */
  protected void open() {}

  /** Closes what {@link #open} opened. */
  protected void close() {}

  /** Emits the results of one element, or throws to reject it. */
  protected abstract void process(Record<I> in, Emitter<O> emit) throws RejectException;

  /** Where {@link #process} puts its results. */
  public static final class Emitter<O> {
    private final List<Record<O>> outputs = new ArrayList<>(1);
    private final List<Rejected> rejected = new ArrayList<>(0);

    public void output(Record<O> r) {
      outputs.add(r);
    }

    /** Rejects one child the element made (a fan-out stage's failed pair or dialogue). */
    public void reject(Record<?> child, String stage, RejectException e) {
      rejected.add(Rejected.of(child, stage, e));
    }
  }

  /** What one element yielded: outputs, rejections, and how many beyond one it created. */
  record Outcome<O>(List<Record<O>> outputs, List<Rejected> rejected, long created) {}

  /** Runs {@link #process} on one element; a rejection of the element is one rejected record. */
  final Outcome<O> run(Record<I> in) {
    Emitter<O> e = new Emitter<>();
    try {
      process(in, e);
    } catch (RejectException ex) {
      return new Outcome<>(List.of(), List.of(Rejected.of(in, stage, ex)), 0);
    }
    int n = e.outputs.size() + e.rejected.size();
    if (n == 0) {
      return new Outcome<>(List.of(), List.of(Rejected.of(in, stage, "no_output",
          "the stage made nothing of this element")), 0);
    }
    return new Outcome<>(e.outputs, e.rejected, n - 1L);
  }

  @Setup
  public final void setup() {
    open();
  }

  @Teardown
  public final void teardown() {
    close();
  }

  @ProcessElement
  public void processElement(@Element Record<I> in, MultiOutputReceiver out) {
    emit(run(in), out);
  }

  /** Sends an outcome to the function's three outputs and counts it. */
  final void emit(Outcome<O> o, MultiOutputReceiver out) {
    for (Record<O> r : o.outputs()) {
      out.get(output).output(r);
    }
    for (Rejected r : o.rejected()) {
      out.get(FAILURES).output(r);
    }
    if (o.created() != 0) {
      out.get(CREATED).output(o.created());
      createdCount.inc(o.created());
    }
    outCount.inc(o.outputs().size());
    rejectedCount.inc(o.rejected().size());
  }
}
