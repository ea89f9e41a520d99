package io.convoforge.core.stages;

import io.convoforge.core.model.Judgement;
import io.convoforge.core.model.Record;
import java.io.Serializable;
import java.util.Map;
import java.util.Set;

/**
 * A family's part in judging and filtering its dialogues, used by the core {@code judge} and
 * {@code filter} stages: the rule criteria every backend runs, the default rubric an LLM judge is
 * asked (names and descriptions; the recipe's {@code judge.rubric} may replace it), how the
 * rubric is answered offline, the judge prompt's variables, and how turns are counted.
 */
public interface Judging<P> extends Serializable {
  /** Deterministic rule criteria, run whatever the backend. */
  Map<String, Judgement.Criterion> rules(Record<P> r);

  /** The default rubric: criterion name to what it means (empty: no rubric). */
  Map<String, String> rubric();

  /** The offline backend's verdicts on the rubric criteria it can judge (may be empty). */
  Map<String, Judgement.Criterion> offlineRubric(Record<P> r, Set<String> criteria);

  /** Variables of the family's {@code judge/prompt.md} for this record. */
  Map<String, String> promptVars(Record<P> r);

  /** The record's length in the family's turns (what {@code turns.min/max} bound). */
  int turns(Record<P> r);
}
