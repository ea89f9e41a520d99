package io.convoforge.testing.echo;

import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.stages.RecordFn;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import org.apache.beam.sdk.values.PCollection;

/** The echo family's fan-out: {@code n} children per line (see {@link EchoFamily}). */
final class Split extends RecordStage<String, String> {
  private final int n;

  Split(int n) {
    super("Split");
    this.n = n;
  }

  @Override
  public StageResult<String> expand(PCollection<Record<String>> input) {
    return applyFn(input, "Split", new SplitFn(n), null);
  }

  static final class SplitFn extends RecordFn<String, String> {
    private final int n;

    SplitFn(int n) {
      super("split");
      this.n = n;
    }

    @Override
    protected void process(Record<String> r, Emitter<String> emit) throws RejectException {
      if (r.payload().contains("BAD")) {
        throw new RejectException("bad_line", "the line says BAD");
      }
      for (int k = 0; k < n; k++) {
        Record<String> child = r.child(r.id() + "-" + k, r.payload() + " #" + k);
        if (k == 1 && r.payload().contains("drop-one")) {
          emit.reject(child, "split", new RejectException("child_failed", "the second child"));
        } else {
          emit.output(child);
        }
      }
    }
  }
}
