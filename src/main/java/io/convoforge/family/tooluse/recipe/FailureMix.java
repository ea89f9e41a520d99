package io.convoforge.family.tooluse.recipe;

import io.convoforge.core.input.InputException;
import io.convoforge.core.recipe.Recipe;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Why failure conversations fail, as the recipe weights it ({@code failure_causes:}, a cause's
 * relative weight; defaults below). Each failing step draws its cause among those its tool and
 * table make possible, in proportion to these weights:
 *
 * <ul>
 *   <li>{@code typo_id} [3]: the user reads out a real record's id one character off;
 *   <li>{@code stale_record} [2]: the user gives the id of a record they remember that was
 *       deleted or belongs to another account;
 *   <li>{@code duplicate_value} [2]: a value breaks a unique constraint (an email in use);
 *   <li>{@code wrong_kind} [1]: the id of another kind of record whose ids look the same;
 *   <li>{@code empty_search} [1]: a search by the name the user gives finds nothing, and the id
 *       from their notes does not exist either;
 *   <li>{@code value_unavailable} [1]: the user cannot supply a required unique value and offers
 *       a shared one that is taken.
 * </ul>
 *
 * <p>An immutable value parsed once from the recipe; a cause with weight 0 is never drawn.
 */
public final class FailureMix implements Serializable {
  public static final String TYPO_ID = "typo_id";
  public static final String STALE_RECORD = "stale_record";
  public static final String DUPLICATE_VALUE = "duplicate_value";
  public static final String WRONG_KIND = "wrong_kind";
  public static final String EMPTY_SEARCH = "empty_search";
  public static final String VALUE_UNAVAILABLE = "value_unavailable";
  /** Every cause, in the order draws enumerate them. */
  public static final List<String> CAUSES = List.of(TYPO_ID, STALE_RECORD, DUPLICATE_VALUE,
      WRONG_KIND, EMPTY_SEARCH, VALUE_UNAVAILABLE);
  private static final Map<String, Double> DEFAULTS = Map.of(TYPO_ID, 3.0, STALE_RECORD, 2.0,
      DUPLICATE_VALUE, 2.0, WRONG_KIND, 1.0, EMPTY_SEARCH, 1.0, VALUE_UNAVAILABLE, 1.0);

  private final LinkedHashMap<String, Double> weights;

  private FailureMix(Map<String, Double> weights) {
    this.weights = new LinkedHashMap<>();
    for (String c : CAUSES) {
      this.weights.put(c, weights.getOrDefault(c, 0.0));
    }
  }

  /** The default weights. */
  public static FailureMix defaults() {
    return new FailureMix(DEFAULTS);
  }

  /**
   * The recipe's {@code failure_causes} over the defaults. The recipe schema has already checked
   * the names and that weights are non-negative numbers; all weights 0 is an input error.
   */
  public static FailureMix of(Recipe recipe) {
    Map<String, Object> section = recipe.section("failure_causes");
    Map<String, Double> w = new LinkedHashMap<>(DEFAULTS);
    section.forEach((k, v) -> w.put(k, ((Number) v).doubleValue()));
    if (w.values().stream().allMatch(x -> x <= 0)) {
      throw new InputException(recipe.file(), "field failure_causes",
          "every cause has weight 0; give at least one of " + CAUSES + " a positive weight");
    }
    return new FailureMix(w);
  }

  public double weight(String cause) {
    return weights.getOrDefault(cause, 0.0);
  }

  /**
   * One of {@code possible} drawn in proportion to its weight; null when none has a positive
   * weight.
   */
  public String draw(List<String> possible, Random random) {
    List<String> ok = new ArrayList<>();
    double total = 0;
    for (String c : CAUSES) {
      if (possible.contains(c) && weight(c) > 0) {
        ok.add(c);
        total += weight(c);
      }
    }
    if (ok.isEmpty()) {
      return null;
    }
    double x = random.nextDouble() * total;
    for (String c : ok) {
      x -= weight(c);
      if (x < 0) {
        return c;
      }
    }
    return ok.get(ok.size() - 1);
  }

  public Map<String, Double> weights() {
    return new LinkedHashMap<>(weights);
  }

  @Override
  public String toString() {
    return weights.toString();
  }
}
