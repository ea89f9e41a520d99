package io.convoforge.family.tooluse.model;

import io.convoforge.core.model.Canonical;
import java.util.List;
import java.util.Map;

/**
 * A workflow expanded into steps. {@code seeds} are the entities that must exist before the
 * conversation starts (handle to table); {@code seedRefs} the foreign keys between them;
 * {@code bindings} (filled by the arguments stage) maps each handle to its key value.
 */
public record Plan(
    List<PlanStep> steps,
    Map<String, String> seeds,
    Map<String, Map<String, String>> seedRefs,
    Map<String, Object> bindings) {

  public Plan {
    seeds = Canonical.sorted(seeds);
    seedRefs = Canonical.sortedNested(seedRefs);
    bindings = Canonical.sorted(bindings);
  }

  public Plan withSteps(List<PlanStep> newSteps) {
    return new Plan(newSteps, seeds, seedRefs, bindings);
  }

  public Plan withBindings(Map<String, Object> newBindings) {
    return new Plan(steps, seeds, seedRefs, newBindings);
  }
}
