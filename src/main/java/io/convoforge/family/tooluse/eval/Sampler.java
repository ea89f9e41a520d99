package io.convoforge.family.tooluse.eval;

import io.convoforge.core.util.Seeds;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.recipe.SamplingPlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deterministic, stratified sample of a dataset for {@code eval --sample N --seed S}: the
 * conversations are grouped by stratum ({@code chain}: the chain id, or the task where a
 * conversation has none; {@code task}: the task id), N is split over the strata in proportion to
 * their sizes by largest remainder (ties to the earlier stratum in id order), and each stratum
 * contributes the conversations whose {@code Seeds.of(seed, id, "eval-sample")} are smallest.
 * The result depends only on the ids, the seed and N, never on the order the files were read in
 * or the clock. Sorted by id. A sample of N at least the dataset's size is the whole dataset.
 */
public final class Sampler {
  /** The stratum keys a sample may be stratified by. */
  public static final List<String> BY = List.of("chain", "task");

  private Sampler() {}

  public static List<Conversation> sample(List<Conversation> all, int n, long seed, String by) {
    if (!BY.contains(by)) {
      throw new IllegalArgumentException("stratify by " + by + "; expected one of " + BY);
    }
    if (n >= all.size()) {
      List<Conversation> out = new ArrayList<>(all);
      out.sort(Comparator.comparing(Conversation::id));
      return out;
    }
    Map<String, List<Conversation>> strata = new TreeMap<>();
    for (Conversation c : all) {
      strata.computeIfAbsent(stratum(c, by), k -> new ArrayList<>()).add(c);
    }
    List<List<Conversation>> groups = new ArrayList<>(strata.values());
    double[] sizes = new double[groups.size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = groups.get(i).size();
    }
    int[] take = SamplingPlan.largestRemainder(sizes, n);
    List<Conversation> out = new ArrayList<>(n);
    for (int i = 0; i < groups.size(); i++) {
      List<Conversation> g = new ArrayList<>(groups.get(i));
      g.sort(Comparator.comparingLong((Conversation c) -> Seeds.of(seed, c.id(), "eval-sample"))
          .thenComparing(Conversation::id));
      out.addAll(g.subList(0, Math.min(take[i], g.size())));
    }
    out.sort(Comparator.comparing(Conversation::id));
    return out;
  }

  /** The stratum of a conversation. */
  static String stratum(Conversation c, String by) {
    if ("chain".equals(by) && c.chainId() != null) {
      return c.chainId();
    }
    return c.taskId() == null ? "-" : c.taskId();
  }
}
