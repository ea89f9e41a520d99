package io.convoforge.family.csvagent;

import io.convoforge.core.util.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The offline teacher: answers a synthetic question by writing SQL from its {@link Program}, with
 * seeded variation so that n traces of one question differ the way independent attempts do.
 *
 * <p>In: a question with a program, an open {@link SqlSandbox} (one per episode), a run seed and
 * the trace index. Out: an {@link Episode} whose every step really ran in the sandbox and whose
 * answer is read from the last successful result. A trace may start with exploratory steps
 * (DESCRIBE, a sample, a row count, a column's distinct values or range; each with probability
 * {@code exploreRate}), may first misspell a column and fix it after seeing the error
 * ({@code typoRate}), writes one of several equivalent queries, and with probability
 * {@code wrongRate} makes one planted mistake: {@code dropped_filter} (forgets the WHERE),
 * {@code off_by_one_bound} ({@code >=} written {@code >} and so on) or {@code wrong_aggregate}
 * (mean for median, argmin for argmax, an inverted ratio, …). Deterministic by (seed, question
 * id, trace index). Throws IllegalArgumentException for a question without a program.
 */
public final class ScriptedSolver {
  private final double wrongRate;
  private final double exploreRate;
  private final double typoRate;
  private final int maxTurns;

  private ScriptedSolver(double wrongRate, double exploreRate, double typoRate, int maxTurns) {
    this.wrongRate = wrongRate;
    this.exploreRate = exploreRate;
    this.typoRate = typoRate;
    this.maxTurns = maxTurns;
  }

  /** Wrong answers 15%, exploration 35% per kind of step, typos 15%, at most 10 SQL steps. */
  public static ScriptedSolver create() {
    return new ScriptedSolver(0.15, 0.35, 0.15, 10);
  }

  public ScriptedSolver withWrongRate(double rate) {
    return new ScriptedSolver(checkRate(rate), exploreRate, typoRate, maxTurns);
  }

  public ScriptedSolver withExploreRate(double rate) {
    return new ScriptedSolver(wrongRate, checkRate(rate), typoRate, maxTurns);
  }

  public ScriptedSolver withTypoRate(double rate) {
    return new ScriptedSolver(wrongRate, exploreRate, checkRate(rate), maxTurns);
  }

  public ScriptedSolver withMaxTurns(int turns) {
    if (turns < 1) {
      throw new IllegalArgumentException("maxTurns must be >= 1, got " + turns);
    }
    return new ScriptedSolver(wrongRate, exploreRate, typoRate, turns);
  }

  /** {@code n} traces (indices 0..n-1), each with its own connection to the database. */
  public List<Episode> traces(Question q, Profile profile, SqlDatabase db, int n, long seed) {
    List<Episode> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      try (SqlSandbox sandbox = db.connect()) {
        out.add(solve(q, profile, sandbox, seed, i));
      }
    }
    return List.copyOf(out);
  }

  public Episode solve(Question q, Profile profile, SqlSandbox sandbox, long seed, int trace) {
    if (q.program() == null) {
      throw new IllegalArgumentException("question " + q.id() + " has no program to script");
    }
    SplittableRandom r = new SplittableRandom(
        Seeds.of(seed, Episode.id(q.id(), trace), "csv-agent-solve"));
    String mistake = r.nextDouble() < wrongRate ? Mistakes.pick(q.program(), r) : null;
    Program p = mistake == null ? q.program() : Mistakes.apply(mistake, q.program(), r);
    SolverSql sql = new SolverSql(profile, r);
    boolean twoStepRatio = p.op().equals("ratio") && r.nextInt(3) == 0;
    int main = twoStepRatio ? 3 : 1;
    boolean typo = r.nextDouble() < typoRate && main + 1 <= maxTurns;
    EpisodeRecorder rec = new EpisodeRecorder(q, sandbox, maxTurns);
    for (String[] step : exploration(p, profile, r, maxTurns - main - (typo ? 1 : 0))) {
      rec.step(step[0], step[1]);
    }
    if (twoStepRatio && rec.steps() + 3 > maxTurns) {
      twoStepRatio = false;
    }
    String query = twoStepRatio ? sql.ratioPart(p, p.numerator()) : sql.query(p);
    if (typo && rec.canStep()) {
      String wrong = misspell(query, p, profile, r);
      if (wrong != null && !rec.step(say(r, "Let me compute this.", "Now the main query."), wrong)
          .ok() && rec.canStep()) {
        rec.step("That column name was wrong; fixing it.", query);
      } else if (rec.canStep()) {
        rec.step(say(r, "Now the main query.", "Let me compute this."), query);
      }
    } else if (rec.canStep()) {
      rec.step(twoStepRatio ? "First the numerator group."
          : say(r, "Now I can compute the answer.", "Let me run the query."), query);
    }
    if (twoStepRatio && rec.canStep()) {
      Object num = rec.lastOk() == null ? null : rec.lastOk().scalar();
      SqlResult den = rec.step("And the same for the denominator group.",
          sql.ratioPart(p, p.denominator()));
      if (den.ok() && num instanceof Number a && den.scalar() instanceof Number b
          && rec.canStep()) {
        rec.step("Dividing the two.", "SELECT " + plain(a) + " / " + plain(b) + " AS ratio");
      }
    }
    return rec.answer(trace, Answers.of(p.op(), rec.lastOk()), mistake);
  }

  /** Exploratory steps {thought, sql}, at most {@code budget}. */
  private List<String[]> exploration(Program p, Profile profile, SplittableRandom r,
      int budget) {
    String t = Sql.ident(profile.table());
    List<String[]> all = new ArrayList<>();
    all.add(new String[] {"Let me look at the table's columns first.", "DESCRIBE " + t});
    all.add(new String[] {"Let me see a few rows.", "SELECT * FROM " + t + " LIMIT 5"});
    all.add(new String[] {"How many rows are there?", "SELECT COUNT(*) FROM " + t});
    for (String c : p.columns()) {
      Profile.ColumnProfile cp = profile.column(c);
      if (cp.categorical()) {
        all.add(new String[] {"Which values does " + c + " take?", "SELECT DISTINCT "
            + Sql.ident(c) + " FROM " + t + " ORDER BY 1 LIMIT 20"});
      } else if (cp.type().numeric() || cp.type().temporal()) {
        all.add(new String[] {"What range does " + c + " cover?", "SELECT MIN(" + Sql.ident(c)
            + "), MAX(" + Sql.ident(c) + "), COUNT(" + Sql.ident(c) + ") FROM " + t});
      }
    }
    List<String[]> out = new ArrayList<>();
    for (String[] s : all) {
      if (out.size() < budget && r.nextDouble() < exploreRate) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * The query with the first use of one of its columns misspelled (never inside a string
   * literal, never part of a longer name), or null when no such use exists.
   */
  private static String misspell(String query, Program p, Profile profile, SplittableRandom r) {
    List<String> cols = p.columns();
    String c = cols.isEmpty() ? "" : cols.get(r.nextInt(cols.size()));
    if (c.length() < 4) {
      return null;
    }
    int i = 1 + r.nextInt(c.length() - 2);
    String typo = c.substring(0, i) + c.substring(i + 1);
    boolean clash = profile.columns().stream()
        .anyMatch(x -> x.name().toLowerCase(Locale.ROOT).equals(typo.toLowerCase(Locale.ROOT)));
    String ident = Sql.ident(c);
    for (int at = query.indexOf(ident); at >= 0 && !clash; at = query.indexOf(ident, at + 1)) {
      boolean inLiteral = query.substring(0, at).chars().filter(ch -> ch == '\'').count() % 2 == 1;
      int end = at + ident.length();
      boolean bounded = (at == 0 || !identChar(query.charAt(at - 1)))
          && (end >= query.length() || !identChar(query.charAt(end)));
      if (!inLiteral && bounded) {
        return query.substring(0, at) + Sql.ident(typo) + query.substring(at + ident.length());
      }
    }
    return null;
  }

  private static boolean identChar(char ch) {
    return Character.isLetterOrDigit(ch) || ch == '_' || ch == '"';
  }

  private static String plain(Number n) {
    return new java.math.BigDecimal(n.toString()).toPlainString();
  }

  private static String say(SplittableRandom r, String a, String b) {
    return r.nextBoolean() ? a : b;
  }

  private static double checkRate(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("a rate is in [0, 1], got " + rate);
    }
    return rate;
  }
}
