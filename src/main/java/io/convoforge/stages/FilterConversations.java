package io.convoforge.stages;

import io.convoforge.model.Conversation;
import io.convoforge.model.Judgement;
import io.convoforge.model.Rejected;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;

/**
 * The quality gate on single elements: drops conversations whose turn count is outside the
 * recipe's range ({@code turns_out_of_range}) or whose judgement did not pass ({@code
 * judge_failed:<first failed criterion>}, or {@code judge_below_min_score} when every criterion
 * passed but the score is too low).
 */
public final class FilterConversations extends ConversationStage {
  public static final String STAGE = "filter";
  private final StageContext ctx;

  private FilterConversations(StageContext ctx) {
    super("FilterConversations");
    this.ctx = ctx;
  }

  public static FilterConversations using(StageContext ctx) {
    return new FilterConversations(ctx);
  }

  @Override
  public WithFailures.Result<PCollection<Conversation>, Rejected> expand(
      PCollection<Conversation> input) {
    return applyFn(input, "Filter", new FilterFn(ctx.recipe().turnsMin(),
        ctx.recipe().turnsMax()));
  }

  static final class FilterFn extends ConversationFn {
    private final int min;
    private final int max;

    FilterFn(int min, int max) {
      super(STAGE);
      this.min = min;
      this.max = max;
    }

    @Override
    protected Conversation apply(Conversation c) throws RejectException {
      int n = c.turns() == null ? 0 : c.turns().size();
      if (n < min || n > max) {
        throw new RejectException("turns_out_of_range",
            n + " turns; the recipe allows " + min + " to " + max);
      }
      Judgement j = c.judgement();
      if (j != null && !j.passed()) {
        String first = j.firstFailure();
        if (first == null) {
          throw new RejectException("judge_below_min_score", "score " + j.score());
        }
        throw new RejectException("judge_failed:" + first, j.criteria().get(first).detail());
      }
      return c;
    }
  }
}
