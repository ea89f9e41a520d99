package io.convoforge.core.run;

import io.convoforge.core.family.Gate;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.core.stages.Deduplicate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The quality gates of a produced dataset, from the recipe's {@code gates:} section (defaults in
 * brackets), evaluated on its report. Core gates, for every family: the expected count [the
 * family's planned count, when it has one] within {@code count_tolerance} [0]; every line a
 * valid record of the family's format; lengths within {@code turns}; the judge's pass rate
 * within {@code judge_pass_rate: {min, max}} [0..1]; and, when {@code max_near_duplicates} is
 * set, at most that many pairs of accepted dialogues at or above the lexical dedup threshold
 * ({@link NearDuplicatePairs}). The family adds its own ({@code FamilyRun#gates}).
 */
public final class Gates {
  /**
   * The report key under which {@code gates --baseline} passes evaluation results (a list of
   * JSON documents) to the family's gates; a family gate that measures a dataset with an agent
   * reads them.
   */
  public static final String BASELINES = "baselines";

  private Gates() {}

  /** All gates of one dataset. */
  public record Verdict(List<Gate> gates) {
    public boolean passed() {
      return gates.stream().allMatch(Gate::passed);
    }

    public List<String> failed() {
      return gates.stream().filter(g -> !g.passed()).map(Gate::name).toList();
    }

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("passed", passed());
      m.put("failed", failed());
      Map<String, Object> each = new LinkedHashMap<>();
      for (Gate g : gates) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("expected", g.expected());
        x.put("actual", g.actual());
        x.put("passed", g.passed());
        if (!g.checked()) {
          x.put("checked", false);
        }
        each.put(g.name(), x);
      }
      m.put("gates", each);
      return m;
    }

    public String table() {
      StringBuilder sb = new StringBuilder(String.format("%-20s %-28s %-36s %s%n", "gate",
          "expected", "actual", "result"));
      for (Gate g : gates) {
        sb.append(String.format("%-20s %-28s %-36s %s%n", g.name(), g.expected(), g.actual(),
            !g.checked() ? "SKIP" : g.passed() ? "PASS" : "FAIL"));
      }
      return sb.toString();
    }
  }

  /**
   * Evaluates the gates of a dataset from its report (which the pipeline computed: no record is
   * read here).
   */
  @SuppressWarnings("unchecked")
  public static Verdict evaluate(Inputs in, Map<String, Object> report) {
    Recipe recipe = in.recipe();
    Map<String, Object> cfg = recipe.section("gates");
    long n = RunReport.number(report.get("accepted"));
    List<Gate> gates = new ArrayList<>();
    Long expected = cfg.get("expected_count") instanceof Number e ? e.longValue()
        : in.run().expectedCount();
    if (expected != null) {
      // A share of the plan that may be missing (dedup removes some); 0 is the strict gate.
      double countTol = number(cfg.get("count_tolerance"), 0.0);
      long atLeast = (long) Math.ceil(expected * (1 - countTol) - 1e-9);
      gates.add(new Gate("count", countTol == 0 ? String.valueOf(expected)
          : atLeast + ".." + expected, String.valueOf(n), n <= expected && n >= atLeast));
    }
    long invalid = RunReport.number(report.get("invalid_lines"));
    gates.add(new Gate("valid_json", "0 invalid lines", invalid + " invalid lines",
        invalid == 0));
    if (!recipe.section("turns").isEmpty()) {
      int min = recipe.turnsMin();
      int max = recipe.turnsMax();
      long outOfRange = 0;
      Map<String, Object> turns = (Map<String, Object>) report.getOrDefault("turns", Map.of());
      for (Map.Entry<String, Object> e : ((Map<String, Object>) turns.getOrDefault(
          "distribution", Map.of())).entrySet()) {
        int t = Integer.parseInt(e.getKey());
        if (t < min || t > max) {
          outOfRange += RunReport.number(e.getValue());
        }
      }
      gates.add(new Gate("turns_in_range", min + ".." + max + " turns", outOfRange + " outside",
          outOfRange == 0));
    }
    gates.addAll(in.run().gates(report, cfg));
    Map<?, ?> band = cfg.get("judge_pass_rate") instanceof Map<?, ?> m ? m : Map.of();
    double lo = number(band.get("min"), 0.0);
    double hi = number(band.get("max"), 1.0);
    double passRate = number(((Map<String, Object>) report.getOrDefault("judge", Map.of()))
        .get("pass_rate"), 0.0);
    gates.add(new Gate("judge_pass_rate", pct(lo) + ".." + pct(hi), pct(passRate),
        passRate >= lo - 1e-9 && passRate <= hi + 1e-9));
    if (cfg.get("max_near_duplicates") instanceof Number maxPairs) {
      double threshold = Deduplicate.Settings.from(recipe.section("dedup"),
          recipe.section("embed"), recipe.seed()).lexicalThreshold();
      long pairs = RunReport.number(report.get("near_duplicate_pairs"));
      gates.add(new Gate("near_duplicates", "<= " + maxPairs.longValue() + " pairs at Jaccard >= "
          + threshold, pairs + " pairs", pairs <= maxPairs.longValue()));
    }
    return new Verdict(gates);
  }

  public static double number(Object v, double dflt) {
    return v instanceof Number n ? n.doubleValue() : dflt;
  }

  public static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  public static String pts(double share) {
    return String.format(Locale.ROOT, "%.1f pts", share * 100);
  }
}
