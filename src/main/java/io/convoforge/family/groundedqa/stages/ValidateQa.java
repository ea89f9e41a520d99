package io.convoforge.family.groundedqa.stages;

import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.stages.RecordFn;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.groundedqa.GroundedQa;
import io.convoforge.family.groundedqa.GroundedQaContext;
import io.convoforge.family.groundedqa.Grounding;
import io.convoforge.family.groundedqa.Validation;
import java.time.LocalDate;
import org.apache.beam.sdk.values.PCollection;

/**
 * Checks each pair against its chunk ({@link Grounding}): the evidence must be a verbatim span of
 * the chunk, the answer must state no number, date or name the evidence lacks, and neither the
 * question nor the answer may mention a date later than {@code as_of}. Deterministic, whatever
 * the backend.
 *
 * <p>In: extracted pairs. Out: the pairs that pass, with their {@code validation}. Failures: the
 * first reason ({@code evidence_empty}, {@code evidence_not_verbatim}, {@code ungrounded}, {@code
 * future_date}); the rejected element carries its validation with every reason.
 */
public final class ValidateQa extends RecordStage<GroundedQa, GroundedQa> {
  public static final String STAGE = "validate_qa";
  private final LocalDate asOf;

  private ValidateQa(LocalDate asOf) {
    super("ValidateQa");
    this.asOf = asOf;
  }

  public static ValidateQa using(GroundedQaContext ctx) {
    return new ValidateQa(ctx.asOf());
  }

  @Override
  public StageResult<GroundedQa> expand(PCollection<Record<GroundedQa>> input) {
    return applyFn(input, "Validate", new ValidateFn(asOf), null);
  }

  static final class ValidateFn extends RecordFn<GroundedQa, GroundedQa> {
    private final LocalDate asOf;

    ValidateFn(LocalDate asOf) {
      super(STAGE);
      this.asOf = asOf;
    }

    @Override
    protected void process(Record<GroundedQa> r, Emitter<GroundedQa> emit) {
      GroundedQa p = r.payload();
      Validation v = Grounding.validate(p.pair(), p.chunk(), asOf);
      Record<GroundedQa> judged = r.withPayload(p.withValidation(v));
      if (v.passed()) {
        emit.output(judged);
      } else {
        emit.reject(judged, STAGE, new RejectException(v.reasons().get(0), v.detail()));
      }
    }
  }
}
