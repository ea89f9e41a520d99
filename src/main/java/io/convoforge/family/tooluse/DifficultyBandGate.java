package io.convoforge.family.tooluse;

import io.convoforge.core.family.Gate;
import io.convoforge.core.input.InputException;
import io.convoforge.core.run.Gates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code difficulty_band} gate (recipe {@code gates.difficulty_band: {min, max, agent,
 * judge}}): the dataset is useful for evaluation only when the agent that measures it passes a
 * share of it within the band (the seed: 55..65 % of a judged sample of 100). It reads the
 * results of {@code eval} given to {@code gates DIR --baseline RESULTS}: the one of {@code
 * agent}, judged by {@code judge} when the band names one; its {@code overall.pass_rate} must be
 * within [min, max], its plays free of errors, and it must have been made on this dataset (the
 * {@link io.convoforge.core.run.IdsDigest} of its accepted ids).
 *
 * <p>Without {@code --baseline} a declared band is not measured (SKIP, not a failure); a band
 * that is malformed, or results given with no band declared, are input errors.
 */
final class DifficultyBandGate {
  static final String NAME = "difficulty_band";

  private DifficultyBandGate() {}

  @SuppressWarnings("unchecked")
  static List<Gate> evaluate(Map<String, Object> report, Map<String, Object> cfg) {
    List<Map<String, Object>> baselines = report.get(Gates.BASELINES) instanceof List<?> l
        ? (List<Map<String, Object>>) l : List.of();
    Object declared = cfg.get(NAME);
    if (declared == null) {
      if (!baselines.isEmpty()) {
        throw new InputException("--baseline", null, "the recipe declares no gates."
            + NAME + " ({min, max, agent}) to check the results against");
      }
      return List.of();
    }
    if (!(declared instanceof Map<?, ?> band) || !(band.get("min") instanceof Number lo)
        || !(band.get("max") instanceof Number hi) || !(band.get("agent") instanceof String agent)
        || lo.doubleValue() < 0 || hi.doubleValue() > 1 || lo.doubleValue() > hi.doubleValue()) {
      throw new InputException("recipe", "gates." + NAME, "expected {min, max, agent[, judge]}"
          + " with 0 <= min <= max <= 1 and agent PROVIDER:MODEL, got " + declared);
    }
    Object judge = band.get("judge");
    String expected = Gates.pct(lo.doubleValue()) + ".." + Gates.pct(hi.doubleValue()) + " "
        + agent;
    if (baselines.isEmpty()) {
      return List.of(Gate.notChecked(NAME, expected,
          "not measured (needs --baseline RESULTS)"));
    }
    Map<String, Object> r = null;
    List<String> given = new ArrayList<>();
    for (Map<String, Object> b : baselines) {
      given.add(String.valueOf(b.get("agent")));
      if (agent.equals(b.get("agent"))) {
        r = b;
      }
    }
    if (r == null) {
      return List.of(new Gate(NAME, expected, "no results of " + agent + " (given: " + given
          + ")", false));
    }
    if (judge != null && !judge.equals(r.get("judge"))) {
      return List.of(new Gate(NAME, expected, "judged by " + r.get("judge") + ", not " + judge,
          false));
    }
    // The gate sees the dataset's report, not its records: results are matched to it by the
    // digest of the accepted ids (eval records the digest of the dataset it read).
    Object convs = r.get("conversations");
    Map<String, Object> read = r.get("dataset") instanceof Map<?, ?> d
        ? (Map<String, Object>) d : Map.of();
    if (!(convs instanceof List<?>)) {
      return List.of(new Gate(NAME, expected, "results without conversations", false));
    }
    if (!Objects.equals(read.get("ids_digest"), report.get("ids_digest"))) {
      return List.of(new Gate(NAME, expected, "results of another dataset (" + read.get(
          "conversations") + " conversations, ids digest " + read.get("ids_digest") + "; this"
          + " one: " + report.get("accepted") + ", " + report.get("ids_digest") + ")", false));
    }
    Map<String, Object> overall = r.get("overall") instanceof Map<?, ?> m
        ? (Map<String, Object>) m : Map.of();
    double rate = Gates.number(overall.get("pass_rate"), -1);
    long errors = (long) Gates.number(overall.get("errors"), 0);
    int n = ((List<?>) convs).size();
    String actual = Gates.pct(rate) + " of " + n + (errors > 0 ? ", " + errors + " errors" : "");
    boolean ok = rate >= lo.doubleValue() - 1e-9 && rate <= hi.doubleValue() + 1e-9
        && errors == 0;
    return List.of(new Gate(NAME, expected, actual, ok));
  }
}
