package io.convoforge.family.csvagent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Teacher triangulation: n independent answers to one question, compared with {@link
 * AnswerMatch}, decide whether the question is verified and which trace to keep.
 *
 * <p>Answers are grouped in trace order: each joins the first group whose first answer it
 * matches, else starts a group (null answers join none). The majority is the largest group; a tie
 * goes to the group started first, and is flagged {@code tied}. Verified: never when tied; a
 * synthetic question when the majority matches its ground truth; an LLM question (no ground
 * truth) when agreement ≥ the threshold. Lists compare in order for {@code top_n} and as
 * multisets when the question has no program (an LLM question may not ask for an order).
 *
 * <p>{@link #judge} keeps the first trace that reached the majority of a verified question and
 * turns every other trace into a {@link Rejection}; an unverified question keeps none. Pure.
 */
public final class Triangulation {
  private final AnswerMatch match;
  private final double threshold;

  private Triangulation(AnswerMatch match, double threshold) {
    this.match = match;
    this.threshold = threshold;
  }

  /** {@code floatTolerance} is absolute (see {@link AnswerMatch}); the threshold is in (0, 1]. */
  public static Triangulation of(double floatTolerance, double agreementThreshold) {
    if (!(agreementThreshold > 0 && agreementThreshold <= 1)) {
      throw new IllegalArgumentException("agreement threshold is in (0, 1]");
    }
    return new Triangulation(new AnswerMatch(floatTolerance), agreementThreshold);
  }

  /** The outcome for one question: its verification, the kept trace (or null), the rest. */
  public record Outcome(Verification verification, Episode kept, List<Rejection> rejections) {}

  public Verification verify(Question q, List<Object> answers) {
    boolean ordered = q.program() != null;
    List<List<Integer>> groups = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      Object a = answers.get(i);
      if (AnswerMatch.normalize(a) == null) {
        continue;
      }
      List<Integer> home = null;
      for (List<Integer> g : groups) {
        if (match.same(answers.get(g.get(0)), a, ordered)) {
          home = g;
          break;
        }
      }
      if (home == null) {
        home = new ArrayList<>();
        groups.add(home);
      }
      home.add(i);
    }
    int n = answers.size();
    List<Integer> best = null;
    boolean tied = false;
    for (List<Integer> g : groups) {
      if (best == null || g.size() > best.size()) {
        best = g;
        tied = false;
      } else if (g.size() == best.size()) {
        tied = true;
      }
    }
    Object majority = best == null ? null : answers.get(best.get(0));
    double agreement = best == null || n == 0 ? 0 : (double) best.size() / n;
    Object truth = q.synthetic() ? q.answer() : null;
    boolean verified = best != null && !tied
        && (truth != null ? match.same(majority, truth, ordered) : agreement >= threshold);
    return new Verification(n, Collections.unmodifiableList(new ArrayList<>(answers)), majority,
        agreement, tied, truth, verified, Difficulty.observed(agreement));
  }

  public Outcome judge(Question q, List<Episode> traces) {
    List<Object> answers = new ArrayList<>();
    traces.forEach(e -> answers.add(e.answer()));
    Verification v = verify(q, answers);
    boolean ordered = q.program() != null;
    Episode kept = null;
    List<Rejection> rejected = new ArrayList<>();
    for (Episode e : traces) {
      String reason;
      String detail = null;
      if (!v.verified()) {
        reason = Rejection.UNVERIFIED;
        detail = why(v);
      } else if (e.answer() == null) {
        reason = Rejection.NO_ANSWER;
      } else if (!match.same(e.answer(), v.majority(), ordered)) {
        reason = Rejection.DISAGREES;
        detail = "majority " + Answers.format(v.majority());
      } else if (kept != null) {
        reason = Rejection.REDUNDANT;
        detail = "kept " + kept.id();
      } else {
        kept = e;
        continue;
      }
      rejected.add(new Rejection(e.id(), e.traceIndex(), reason, detail, e.answer()));
    }
    return new Outcome(v, kept, List.copyOf(rejected));
  }

  private String why(Verification v) {
    if (v.majority() == null) {
      return "no trace gave an answer";
    }
    if (v.tied()) {
      return "tied majority at agreement " + v.agreement();
    }
    if (v.groundTruth() != null) {
      return "majority " + Answers.format(v.majority()) + " differs from ground truth "
          + Answers.format(v.groundTruth());
    }
    return "agreement " + v.agreement() + " below " + threshold;
  }
}
