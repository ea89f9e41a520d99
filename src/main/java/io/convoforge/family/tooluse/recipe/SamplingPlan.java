package io.convoforge.family.tooluse.recipe;

import io.convoforge.core.input.InputException;
import io.convoforge.core.input.Problem;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.family.tooluse.model.Conversation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a recipe into strata. With a chain table: one stratum per chain with its exact count (a
 * different {@code --count} scales the table by largest remainder). Otherwise: N elements spread
 * over (task, outcome) cells in proportion to weight x (1 - failure share) and weight x failure
 * share, by largest remainder, so the sampled distribution matches the weights as closely as
 * integers allow.
 */
public final class SamplingPlan {
  public static final int DEFAULT_COUNT = 100;

  private SamplingPlan() {}

  public static List<Stratum> strata(
      Recipe recipe, Map<String, Task> tasks, Integer countOverride, long seed) {
    String tag = "s" + seed;
    List<Chain> chains = chains(recipe);
    Integer requested = countOverride != null ? countOverride : recipe.count();
    List<Stratum> out = new ArrayList<>();
    if (!chains.isEmpty()) {
      checkChains(recipe.file(), chains, tasks);
      int total = chains.stream().mapToInt(Chain::count).sum();
      int n = requested == null ? total : requested;
      double[] weights = chains.stream().mapToDouble(Chain::count).toArray();
      int[] counts = n == total ? chains.stream().mapToInt(Chain::count).toArray()
          : largestRemainder(weights, n);
      for (int i = 0; i < chains.size(); i++) {
        Chain c = chains.get(i);
        out.add(new Stratum(tag + "-" + c.id(), c.taskId(), c.id(), c.outcome(), counts[i],
            c.failAt()));
      }
      return out;
    }
    if (tasks.isEmpty()) {
      throw new InputException(recipe.file(), "field tasks",
          "the recipe has neither a tasks file nor chains");
    }
    int n = requested == null ? DEFAULT_COUNT : requested;
    double f = recipe.number("sampling", "failure_share", 0.0);
    List<Task> list = new ArrayList<>(tasks.values());
    double[] weights = new double[list.size() * 2];
    for (int i = 0; i < list.size(); i++) {
      weights[2 * i] = list.get(i).weight() * (1 - f);
      weights[2 * i + 1] = list.get(i).weight() * f;
    }
    int[] counts = largestRemainder(weights, n);
    for (int i = 0; i < list.size(); i++) {
      Task t = list.get(i);
      out.add(new Stratum(tag + "-" + t.id() + "-S", t.id(), null, Conversation.SUCCESS,
          counts[2 * i], null));
      out.add(new Stratum(tag + "-" + t.id() + "-F", t.id(), null, Conversation.FAILURE,
          counts[2 * i + 1], null));
    }
    return out;
  }

  /** The recipe's chain table ({@code chains}), empty when it has none. */
  @SuppressWarnings("unchecked")
  static List<Chain> chains(Recipe recipe) {
    Object c = recipe.value("chains");
    List<Chain> out = new ArrayList<>();
    if (c == null) {
      return out;
    }
    for (Map<String, Object> m : (List<Map<String, Object>>) c) {
      out.add(new Chain(String.valueOf(m.get("id")), String.valueOf(m.get("task")),
          String.valueOf(m.get("outcome")), ((Number) m.get("count")).intValue(),
          m.get("fail_at") == null ? null : String.valueOf(m.get("fail_at"))));
    }
    return out;
  }

  static void checkChains(String file, List<Chain> chains, Map<String, Task> tasks) {
    List<Problem> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < chains.size(); i++) {
      Chain c = chains.get(i);
      String at = "field chains[" + i + "] (" + c.id() + ")";
      if (!ids.add(c.id())) {
        problems.add(new Problem(file, at, "duplicate chain id"));
      }
      Task t = tasks.get(c.taskId());
      if (t == null) {
        problems.add(new Problem(file, at + ".task", "unknown task '" + c.taskId()
            + "'; expected one of " + tasks.keySet()));
        continue;
      }
      if (c.failAt() != null) {
        if (!Conversation.FAILURE.equals(c.outcome())) {
          problems.add(new Problem(file, at + ".fail_at", "only failure chains take fail_at"));
        } else if (!t.workflow().contains(c.failAt())) {
          problems.add(new Problem(file, at + ".fail_at", "'" + c.failAt()
              + "' is not a step of task " + t.id() + " " + t.workflow()));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
  }

  /** Integer counts summing to n, proportional to weights; ties go to the earlier cell. */
  public static int[] largestRemainder(double[] weights, int n) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    int[] out = new int[weights.length];
    double[] rem = new double[weights.length];
    int assigned = 0;
    for (int i = 0; i < weights.length; i++) {
      double exact = total == 0 ? 0 : weights[i] / total * n;
      out[i] = (int) Math.floor(exact);
      rem[i] = exact - out[i];
      assigned += out[i];
    }
    while (assigned < n) {
      int best = 0;
      for (int i = 1; i < weights.length; i++) {
        if (rem[i] > rem[best] + 1e-12) {
          best = i;
        }
      }
      out[best]++;
      rem[best] = -1;
      assigned++;
    }
    return out;
  }
}
