package io.convoforge.family.csvagent;

import io.convoforge.core.model.Json;
import io.convoforge.core.util.Seeds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Synthetic, deterministic questions over one CSV. In: the table, its profile, how many, a run
 * seed. Out: up to {@code n} {@link Question}s (fewer when the table does not support that many
 * distinct ones), drawn round-robin over {@link QuestionTemplates#ORDER} so templates and
 * difficulties are spread; the same inputs always give the same list.
 *
 * <p>Each draw's canonical SQL ({@link ProgramSql}) runs in a {@link SqlSandbox}; a draw is kept
 * only when its answer is well defined: not null, finite, a count above zero, and for group ops a
 * best group (or top n order) that is not tied at the stated rounding. The SQL that fails is a bug
 * in the templates, not in the input, and surfaces as IllegalStateException.
 */
public final class QuestionGenerator {
  // Each template gets a few draws per turn (filtered group questions are often tied and
  // redrawn); a table that cannot support n distinct questions stops after these many turns.
  private static final int SLOTS_PER_QUESTION = 4;
  private static final int DRAWS_PER_SLOT = 6;

  private QuestionGenerator() {}

  /** Questions computed in a sandbox of their own (the CSV is loaded for them). */
  public static List<Question> synthetic(CsvTable table, Profile profile, int n, long seed) {
    if (n <= 0 || table.rows().isEmpty()) {
      return List.of();
    }
    try (SqlSandbox sandbox = SqlSandbox.open(table, profile)) {
      return synthetic(table, profile, sandbox, n, seed);
    }
  }

  /** Questions computed in the given sandbox over {@code table} (e.g. from a shared database). */
  public static List<Question> synthetic(CsvTable table, Profile profile, SqlSandbox sandbox,
      int n, long seed) {
    if (n <= 0 || table.rows().isEmpty()) {
      return List.of();
    }
    QuestionTemplates templates = new QuestionTemplates(table, profile);
    SplittableRandom r = new SplittableRandom(Seeds.of(seed, table.sha256(), "csv-questions"));
    List<Question> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int slots = n * SLOTS_PER_QUESTION;
    for (int i = 0; out.size() < n && i < slots; i++) {
      String template = QuestionTemplates.ORDER.get(i % QuestionTemplates.ORDER.size());
      for (int attempt = 0; attempt < DRAWS_PER_SLOT; attempt++) {
        Question q = draw(template, templates, r, table, profile, sandbox, ids);
        if (q != null) {
          ids.add(q.id());
          out.add(q);
          break;
        }
      }
    }
    return List.copyOf(out);
  }

  private static Question draw(String template, QuestionTemplates templates, SplittableRandom r,
      CsvTable table, Profile profile, SqlSandbox sandbox, Set<String> ids) {
    Program p = templates.draw(template, r);
    if (p == null) {
      return null;
    }
    String id = id(table.sha256(), template, p);
    Object answer = ids.contains(id) ? null : answer(p, profile, sandbox);
    if (answer == null) {
      return null;
    }
    return new Question(id, new Question.Dataset(table.file(), table.sha256()),
        QuestionText.question(p, profile, answer), QuestionText.hint(p, profile),
        Difficulty.of(p), Question.SYNTHETIC, template, p, ProgramSql.of(p, profile), answer);
  }

  /** {@code q_} + 16 hex digits of SHA-256 over dataset sha, template and program JSON. */
  public static String id(String datasetSha, String template, Program p) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(
          (datasetSha + "|" + template + "|" + Json.write(p)).getBytes(StandardCharsets.UTF_8));
      return "q_" + HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The answer of a draw, or null when the question would be ill-defined. */
  private static Object answer(Program p, Profile profile, SqlSandbox sandbox) {
    SqlResult r = run(sandbox, ProgramSql.of(p, profile));
    Object a = Answers.of(p.op(), r);
    if (a == null || a instanceof String s && !p.op().endsWith("_group") && !isDate(s)) {
      return null;
    }
    if (a instanceof Number num && (p.op().equals("count") || p.op().equals("count_distinct"))
        && num.longValue() <= 0) {
      return null;
    }
    if (a instanceof List<?> l && (l.size() != p.n() || l.contains(null))) {
      return null;
    }
    if (Program.GROUP_OPS.contains(p.op()) && !p.op().equals("ratio")) {
      int need = p.op().equals("top_n") ? p.n() + 1 : 2;
      List<List<Object>> ranks = run(sandbox, ProgramSql.ranking(p, profile, need)).rows();
      if (ranks.size() < need) {
        return null;
      }
      for (int i = 0; i + 1 < need; i++) {
        if (Answers.round(ranks.get(i).get(1)).equals(Answers.round(ranks.get(i + 1).get(1)))) {
          return null;
        }
      }
    }
    return a;
  }

  private static SqlResult run(SqlSandbox sandbox, String sql) {
    SqlResult r = sandbox.run(sql);
    if (!r.ok()) {
      throw new IllegalStateException("template SQL failed: " + sql + " -> " + r.error());
    }
    return r;
  }

  private static boolean isDate(String s) {
    return ColumnType.DATE.accepts(s) || ColumnType.DATETIME.accepts(s);
  }
}
