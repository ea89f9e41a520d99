package io.convoforge.family.tooluse.model;

import io.convoforge.core.model.Canonical;
import java.util.List;
import java.util.Map;

/**
 * A workflow expanded into the calls of one conversation and the turns that make them. {@code
 * steps} are every call in the order it is made (the workflow's steps and the dialogue's own
 * reads, retries and fixes, see {@link PlanStep#role}); {@code seeds} are the entities that must
 * exist beforehand (handle to table); {@code seedRefs} the foreign keys between them; {@code
 * bindings} (filled by the arguments stage) maps each handle to its key value; {@code script}
 * is the conversation's turns, one {@link Move} each, chosen so that their number is within the
 * recipe's turn range.
 */
public record Plan(
    List<PlanStep> steps,
    Map<String, String> seeds,
    Map<String, Map<String, String>> seedRefs,
    Map<String, Object> bindings,
    List<Move> script) {

  public Plan {
    seeds = Canonical.sorted(seeds);
    seedRefs = Canonical.sortedNested(seedRefs);
    bindings = Canonical.sorted(bindings);
    script = script == null ? null : List.copyOf(script);
  }

  /** A plan without a script (the dialogue writer then decides the turns). */
  public Plan(List<PlanStep> steps, Map<String, String> seeds,
      Map<String, Map<String, String>> seedRefs, Map<String, Object> bindings) {
    this(steps, seeds, seedRefs, bindings, null);
  }

  public Plan withSteps(List<PlanStep> newSteps) {
    return new Plan(newSteps, seeds, seedRefs, bindings, script);
  }

  public Plan withBindings(Map<String, Object> newBindings) {
    return new Plan(steps, seeds, seedRefs, newBindings, script);
  }
}
