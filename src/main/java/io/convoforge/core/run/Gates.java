package io.convoforge.core.run;

import io.convoforge.core.dedup.MinHash;
import io.convoforge.core.family.Gate;
import io.convoforge.core.model.Record;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.core.stages.Deduplicate;
import io.convoforge.core.stages.Judging;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The quality gates of a produced dataset, from the recipe's {@code gates:} section (defaults in
 * brackets). Core gates, for every family: the expected count [the family's planned count, when
 * it has one] within {@code count_tolerance} [0]; every line a valid record of the family's
 * format; lengths within {@code turns}; the judge's pass rate within {@code judge_pass_rate:
 * {min, max}} [0..1]; and, when {@code max_near_duplicates} is set, at most that many pairs of
 * accepted dialogues at or above the lexical dedup threshold (checked exactly over MinHash
 * candidates with denser banding than the dedup stage's, so it is an independent check). The
 * family adds its own gates ({@code FamilyRun#gates}).
 */
public final class Gates {
  /** Bands and rows of the near-duplicate gate's candidates: misses a pair at 0.8 w.p. ~1e-9. */
  static final int NEAR_DUP_BANDS = 50;
  static final int NEAR_DUP_ROWS = 5;
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
   * Evaluates the gates of the dataset whose accepted records are {@code accepted} and whose
   * report (core and family sections) is {@code report}.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Verdict evaluate(Inputs in, DatasetDir.Records accepted,
      Map<String, Object> report) {
    Recipe recipe = in.recipe();
    Map<String, Object> cfg = recipe.section("gates");
    Judging raw = in.run().judging(in.context());
    long n = 0;
    long outOfRange = 0;
    int min = recipe.turnsMin();
    int max = recipe.turnsMax();
    for (Record<?> r : accepted) {
      n++;
      int t = raw.turns(r);
      if (t < min || t > max) {
        outOfRange++;
      }
    }
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
    gates.add(new Gate("valid_json", "0 invalid lines", accepted.invalid() + " invalid lines",
        accepted.invalid() == 0));
    if (!recipe.section("turns").isEmpty()) {
      gates.add(new Gate("turns_in_range", min + ".." + max + " turns", outOfRange + " outside",
          outOfRange == 0));
    }
    gates.addAll(in.run().gates(accepted, report, cfg));
    Map<?, ?> band = cfg.get("judge_pass_rate") instanceof Map<?, ?> m ? m : Map.of();
    double lo = number(band.get("min"), 0.0);
    double hi = number(band.get("max"), 1.0);
    double passRate = number(((Map<String, Object>) report.getOrDefault("judge", Map.of()))
        .get("pass_rate"), 0.0);
    gates.add(new Gate("judge_pass_rate", pct(lo) + ".." + pct(hi), pct(passRate),
        passRate >= lo - 1e-9 && passRate <= hi + 1e-9));
    if (cfg.get("max_near_duplicates") instanceof Number maxPairs) {
      Deduplicate.Settings s = Deduplicate.Settings.from(recipe.section("dedup"),
          recipe.section("embed"), recipe.seed());
      long pairs = nearDuplicatePairs(accepted, s);
      gates.add(new Gate("near_duplicates", "<= " + maxPairs.longValue() + " pairs at Jaccard >= "
          + s.lexicalThreshold(), pairs + " pairs", pairs <= maxPairs.longValue()));
    }
    return new Verdict(gates);
  }

  /** Pairs of records whose shingle sets reach the lexical threshold, confirmed exactly. */
  static long nearDuplicatePairs(Iterable<Record<?>> records, Deduplicate.Settings s) {
    MinHash mh = new MinHash(NEAR_DUP_BANDS, NEAR_DUP_ROWS, s.seed() ^ 0x5eed);
    List<int[]> shingles = new ArrayList<>();
    Map<Long, List<Integer>> buckets = new HashMap<>();
    for (Record<?> r : records) {
      int[] sh = MinHash.shingles(s.lexicalText().of(r), s.wordShingles(), s.shingleSize());
      int i = shingles.size();
      shingles.add(sh);
      for (long k : mh.keys(sh)) {
        buckets.computeIfAbsent(k, x -> new ArrayList<>(2)).add(i);
      }
    }
    Set<Long> seen = new HashSet<>();
    long found = 0;
    for (List<Integer> b : buckets.values()) {
      for (int x = 0; x < b.size(); x++) {
        for (int y = x + 1; y < b.size(); y++) {
          long pair = (long) b.get(x) << 32 | b.get(y);
          if (seen.add(pair)
              && MinHash.jaccard(shingles.get(b.get(x)), shingles.get(b.get(y)))
                  >= s.lexicalThreshold()) {
            found++;
          }
        }
      }
    }
    return found;
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
