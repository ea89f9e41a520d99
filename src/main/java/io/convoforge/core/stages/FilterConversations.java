package io.convoforge.core.stages;

import io.convoforge.core.model.Judgement;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.recipe.Recipe;
import org.apache.beam.sdk.values.PCollection;

/**
 * The quality gate on single elements: drops dialogues whose length in the family's turns is
 * outside the recipe's {@code turns} range ({@code turns_out_of_range}) or whose judgement did
 * not pass ({@code judge_failed:<first failed criterion>}, or {@code judge_below_min_score} when
 * every criterion passed but the score is too low). Deterministic; no retries.
 */
public final class FilterConversations<P> extends RecordStage<P, P> {
  public static final String STAGE = "filter";
  private final int min;
  private final int max;
  private final Judging<P> judging;

  private FilterConversations(int min, int max, Judging<P> judging) {
    super("FilterConversations");
    if (min < 1 || min > max) {
      throw new IllegalArgumentException("turn range " + min + ".." + max + " is empty");
    }
    this.min = min;
    this.max = max;
    this.judging = judging;
  }

  /** The filter of the recipe's {@code turns} range, counting turns the family's way. */
  public static <P> FilterConversations<P> of(Recipe recipe, Judging<P> judging) {
    return new FilterConversations<>(recipe.turnsMin(), recipe.turnsMax(), judging);
  }

  @Override
  public StageResult<P> expand(PCollection<Record<P>> input) {
    return applyFn(input, "Filter", new FilterFn<>(min, max, judging), null);
  }

  static final class FilterFn<P> extends RecordFn<P, P> {
    private final int min;
    private final int max;
    private final Judging<P> judging;

    FilterFn(int min, int max, Judging<P> judging) {
      super(STAGE);
      this.min = min;
      this.max = max;
      this.judging = judging;
    }

    @Override
    protected void process(Record<P> r, Emitter<P> emit) throws RejectException {
      int n = judging.turns(r);
      if (n < min || n > max) {
        throw new RejectException("turns_out_of_range",
            n + " turns; the recipe allows " + min + " to " + max);
      }
      Judgement j = r.judgement();
      if (j != null && !j.passed()) {
        String first = j.firstFailure();
        if (first == null) {
          throw new RejectException("judge_below_min_score", "score " + j.score());
        }
        throw new RejectException("judge_failed:" + first, j.criteria().get(first).detail());
      }
      emit.output(r);
    }
  }
}
