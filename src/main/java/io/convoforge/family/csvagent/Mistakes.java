package io.convoforge.family.csvagent;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The planted mistakes of the scripted solver, as rewrites of the {@link Program} it then solves
 * faithfully: {@code dropped_filter} (no WHERE), {@code off_by_one_bound} (one bound's
 * inclusiveness flipped: {@code >=} ↔ {@code >}, {@code <=} ↔ {@code <}) and {@code
 * wrong_aggregate} (sum→mean, mean↔median, min↔max, a count of distinct values for a count,
 * argmax↔argmin, the ratio inverted, top n-1 for top n by count, mean↔sum inside a group).
 */
final class Mistakes {
  static final String DROPPED_FILTER = "dropped_filter";
  static final String OFF_BY_ONE = "off_by_one_bound";
  static final String WRONG_AGGREGATE = "wrong_aggregate";

  private Mistakes() {}

  /** One applicable mistake, or null when none applies. */
  static String pick(Program p, SplittableRandom r) {
    List<String> kinds = new ArrayList<>();
    if (!p.where().isEmpty()) {
      kinds.add(DROPPED_FILTER);
    }
    if (p.where().stream().anyMatch(c -> c.op().contains("<") || c.op().contains(">"))) {
      kinds.add(OFF_BY_ONE);
    }
    if (wrongAggregate(p) != null) {
      kinds.add(WRONG_AGGREGATE);
    }
    return kinds.isEmpty() ? null : kinds.get(r.nextInt(kinds.size()));
  }

  static Program apply(String kind, Program p, SplittableRandom r) {
    switch (kind) {
      case DROPPED_FILTER:
        return with(p, List.of());
      case OFF_BY_ONE: {
        List<Condition> where = new ArrayList<>(p.where());
        List<Integer> bounds = new ArrayList<>();
        for (int i = 0; i < where.size(); i++) {
          if (where.get(i).op().contains("<") || where.get(i).op().contains(">")) {
            bounds.add(i);
          }
        }
        int i = bounds.get(r.nextInt(bounds.size()));
        Condition c = where.get(i);
        String flipped = switch (c.op()) {
          case ">=" -> ">";
          case ">" -> ">=";
          case "<=" -> "<";
          case "<" -> "<=";
          default -> throw new IllegalStateException(c.op());
        };
        where.set(i, new Condition(c.column(), flipped, c.value()));
        return with(p, where);
      }
      case WRONG_AGGREGATE:
        return wrongAggregate(p);
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  private static Program wrongAggregate(Program p) {
    switch (p.op()) {
      case "sum":
        return Program.scalar("mean", p.column(), p.where());
      case "mean":
        return Program.scalar("median", p.column(), p.where());
      case "median":
        return Program.scalar("mean", p.column(), p.where());
      case "min":
        return Program.scalar("max", p.column(), p.where());
      case "max":
        return Program.scalar("min", p.column(), p.where());
      case "count_distinct":
        return Program.scalar("count", p.column(), p.where());
      case "count": {
        String c = p.column() != null ? p.column()
            : p.where().isEmpty() ? null : p.where().get(0).column();
        return c == null ? null : Program.scalar("count_distinct", c, p.where());
      }
      case "argmax_group":
        return Program.group("argmin_group", p.groupBy(), p.agg(), p.column(), p.where());
      case "argmin_group":
        return Program.group("argmax_group", p.groupBy(), p.agg(), p.column(), p.where());
      case "top_n":
        if (p.agg().equals("mean") || p.agg().equals("sum")) {
          return Program.topN(p.groupBy(), p.agg().equals("mean") ? "sum" : "mean", p.column(),
              p.n(), p.where());
        }
        return p.n() > 1 ? Program.topN(p.groupBy(), p.agg(), p.column(), p.n() - 1, p.where())
            : null;
      case "ratio":
        return Program.ratio(p.groupBy(), p.agg(), p.column(), p.denominator(), p.numerator(),
            p.where());
      default:
        return null;
    }
  }

  private static Program with(Program p, List<Condition> where) {
    return new Program(p.op(), p.column(), where, p.groupBy(), p.agg(), p.n(), p.numerator(),
        p.denominator());
  }
}
