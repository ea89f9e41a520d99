package io.convoforge.stages;

import io.convoforge.backend.Generator;
import io.convoforge.model.Conversation;
import io.convoforge.model.Judgement;
import io.convoforge.model.Rejected;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;

/**
 * Judges each conversation: the {@link RuleJudge} criteria plus whatever the backend adds (an LLM
 * rubric). Score = share of criteria passed; passed = every criterion listed in the recipe's
 * {@code judge.required} passes and the score reaches {@code judge.min_score} (default 1.0: all).
 * Judging never drops an element; {@link FilterConversations} does.
 *
 * <p>In: conversations with turns. Out: with {@code judgement}. Failures: a backend's reasons.
 */
public final class JudgeConversations extends ConversationStage {
  public static final String STAGE = "judge";
  private final StageContext ctx;

  private JudgeConversations(StageContext ctx) {
    super("JudgeConversations");
    this.ctx = ctx;
  }

  public static JudgeConversations using(StageContext ctx) {
    return new JudgeConversations(ctx);
  }

  @Override
  public WithFailures.Result<PCollection<Conversation>, Rejected> expand(
      PCollection<Conversation> input) {
    return applyFn(input, "Judge", new JudgeFn(ctx));
  }

  static final class JudgeFn extends BackendFn {
    private transient RuleJudge rules;

    JudgeFn(StageContext ctx) {
      super(STAGE, ctx);
    }

    @Override
    protected Conversation apply(Conversation c, Generator g) throws RejectException {
      if (rules == null) {
        rules = new RuleJudge(ctx);
      }
      Map<String, Judgement.Criterion> criteria = new TreeMap<>(rules.judge(c));
      criteria.putAll(g.judge(c));
      return c.withJudgement(verdict(criteria, ctx.recipe().judgeMinScore(),
          ctx.recipe().judgeRequired()));
    }
  }

  static Judgement verdict(
      Map<String, Judgement.Criterion> criteria, double minScore, List<String> required) {
    long passed = criteria.values().stream().filter(Judgement.Criterion::passed).count();
    double score = criteria.isEmpty() ? 0 : (double) passed / criteria.size();
    score = Math.round(score * 1000) / 1000.0;
    boolean ok = score >= minScore - 1e-9;
    for (String r : required) {
      Judgement.Criterion cr = criteria.get(r);
      ok &= cr != null && cr.passed();
    }
    return new Judgement(ok, score, criteria);
  }
}
