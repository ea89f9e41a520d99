package io.convoforge.family.csvagent;

import java.util.List;

/**
 * How hard a question is from the number of operations its {@link Program} needs: one per
 * aggregate (count, sum, mean, median, min, max, count_distinct: 1), grouping and picking the
 * best group (argmax_group, argmin_group, top_n: 2), or two filtered aggregates and a division
 * (ratio: 3); plus one per distinct column filtered in {@code where} (a date range on one column
 * is one filter). 1 = EASY, 2 = MEDIUM, 3 = HARD, 4 or more = VERY_HARD.
 *
 * <p>The {@link #observed} difficulty comes from triangulation instead: the share of independent
 * traces that agreed with the majority. At least 0.85 (7 of 7 or 6 of 7) = EASY, at least 0.70
 * (5 of 7) = MEDIUM, at least 0.50 (4 of 7) = HARD, below = VERY_HARD.
 */
public enum Difficulty {
  EASY,
  MEDIUM,
  HARD,
  VERY_HARD;

  public static int operations(Program p) {
    int base = switch (p.op()) {
      case "ratio" -> 3;
      case "argmax_group", "argmin_group", "top_n" -> 2;
      default -> 1;
    };
    return base + (int) p.where().stream().map(Condition::column).distinct().count();
  }

  public static Difficulty of(Program p) {
    List<Difficulty> all = List.of(values());
    return all.get(Math.min(operations(p), all.size()) - 1);
  }

  public static Difficulty observed(double agreement) {
    if (agreement >= 0.85) {
      return EASY;
    }
    if (agreement >= 0.70) {
      return MEDIUM;
    }
    return agreement >= 0.50 ? HARD : VERY_HARD;
  }
}
