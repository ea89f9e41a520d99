package io.convoforge.family.csvagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.model.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ScriptedSolverTest {
  /** Stricter than the recipe's 0.1: equivalent queries may differ only by rounding. */
  private static final AnswerMatch EXACT = new AnswerMatch(0.011);

  static List<String> csvs() {
    return java.util.stream.Stream.concat(Fixtures.NAMES.stream(), java.util.stream.Stream.of(
        "keywords")).toList();
  }

  @ParameterizedTest
  @MethodSource("csvs")
  void everyVariantWithoutAMistakeReachesTheGroundTruth(String name) {
    CsvTable t = Fixtures.table(name);
    Profile p = Fixtures.profile(name);
    ScriptedSolver solver = ScriptedSolver.create().withWrongRate(0).withExploreRate(0.5)
        .withTypoRate(0.5);
    List<Question> qs = QuestionGenerator.synthetic(t, p, 30, 3L);
    try (SqlSandbox sandbox = SqlSandbox.open(t, p)) {
      for (Question q : qs) {
        for (int i = 0; i < 3; i++) {
          Episode e = solver.solve(q, p, sandbox, 5L, i);
          assertTrue(EXACT.same(e.answer(), q.answer(), true), () -> q.text() + "\nexpected "
              + q.answer() + " got " + e.answer() + "\n" + sqls(e));
        }
      }
    }
  }

  @Test
  void tracesAreDeterministicBySeedQuestionAndIndex() {
    CsvTable t = Fixtures.table("orders.csv");
    Profile p = Fixtures.profile("orders.csv");
    Question q = QuestionGenerator.synthetic(t, p, 5, 1L).get(4);
    ScriptedSolver solver = ScriptedSolver.create().withWrongRate(0.3);
    try (SqlDatabase db = SqlDatabase.load(t, p, SqlSandbox.Limits.defaults());
        SqlDatabase other = SqlDatabase.load(t, p, SqlSandbox.Limits.defaults())) {
      List<Episode> a = solver.traces(q, p, db, 7, 11L);
      assertEquals(withoutTimes(a), withoutTimes(solver.traces(q, p, other, 7, 11L)));
      assertNotEquals(withoutTimes(a), withoutTimes(solver.traces(q, p, db, 7, 12L)));
      assertTrue(a.stream().map(ScriptedSolverTest::sqls).distinct().count() > 1,
          "the 7 traces vary");
    }
  }

  @Test
  void plantedMistakesAreTheOnlyWrongAnswers() {
    CsvTable t = Fixtures.table("clinic_appointments.csv");
    Profile p = Fixtures.profile("clinic_appointments.csv");
    ScriptedSolver solver = ScriptedSolver.create().withWrongRate(0.3);
    int traces = 0;
    int planted = 0;
    int correct = 0;
    int wrongWhenPlanted = 0;
    try (SqlSandbox sandbox = SqlSandbox.open(t, p)) {
      for (Question q : QuestionGenerator.synthetic(t, p, 40, 9L)) {
        for (int i = 0; i < 7; i++) {
          Episode e = solver.solve(q, p, sandbox, 2L, i);
          boolean right = EXACT.same(e.answer(), q.answer(), true);
          traces++;
          correct += right ? 1 : 0;
          if (e.mistake() != null) {
            planted++;
            wrongWhenPlanted += right ? 0 : 1;
          } else {
            assertTrue(right, q.text() + "\n" + sqls(e));
          }
        }
      }
    }
    double plantedShare = (double) planted / traces;
    assertTrue(plantedShare > 0.2 && plantedShare < 0.36, "planted " + plantedShare);
    assertTrue(wrongWhenPlanted > 0.7 * planted, wrongWhenPlanted + " of " + planted);
    double share = (double) correct / traces;
    assertTrue(share > 0.66 && share < 0.82, "correct share " + share);
  }

  @Test
  void misspelledColumnsAreCorrectedAfterTheError() {
    CsvTable t = Fixtures.table("bike_trips.csv");
    Profile p = Fixtures.profile("bike_trips.csv");
    ScriptedSolver solver = ScriptedSolver.create().withWrongRate(0).withTypoRate(1);
    int recovered = 0;
    try (SqlSandbox sandbox = SqlSandbox.open(t, p)) {
      for (Question q : QuestionGenerator.synthetic(t, p, 20, 4L)) {
        Episode e = solver.solve(q, p, sandbox, 1L, 0);
        List<TraceStep> failed = e.trace().stream().filter(s -> !s.ok()).toList();
        if (!failed.isEmpty()) {
          recovered++;
          assertTrue(failed.get(0).error().contains("not found"), failed.get(0).error());
          assertTrue(e.trace().get(e.trace().size() - 1).ok());
        }
        assertTrue(EXACT.same(e.answer(), q.answer(), true), q.text() + "\n" + sqls(e));
      }
    }
    assertTrue(recovered >= 15, "typos planted and fixed in " + recovered + " of 20");
  }

  @Test
  void maxTurnsBoundsTheSteps() {
    CsvTable t = Fixtures.table("orders.csv");
    Profile p = Fixtures.profile("orders.csv");
    ScriptedSolver solver = ScriptedSolver.create().withWrongRate(0).withExploreRate(1)
        .withTypoRate(1).withMaxTurns(2);
    try (SqlSandbox sandbox = SqlSandbox.open(t, p)) {
      for (Question q : QuestionGenerator.synthetic(t, p, 15, 4L)) {
        Episode e = solver.solve(q, p, sandbox, 1L, 0);
        assertTrue(e.trace().size() <= 2, sqls(e));
        assertTrue(EXACT.same(e.answer(), q.answer(), true), q.text() + "\n" + sqls(e));
      }
    }
  }

  @Test
  void questionsWithoutAProgramCannotBeScripted() {
    CsvTable t = Fixtures.table("orders.csv");
    Profile p = Fixtures.profile("orders.csv");
    Question llm = new Question("q_llm", new Question.Dataset(t.file(), t.sha256()), "Why?", null,
        Difficulty.HARD, Question.LLM, null, null, null, null);
    try (SqlSandbox sandbox = SqlSandbox.open(t, p)) {
      assertThrows(IllegalArgumentException.class,
          () -> ScriptedSolver.create().solve(llm, p, sandbox, 1L, 0));
    }
  }

  static String sqls(Episode e) {
    return e.trace().stream().map(s -> s.sql() + (s.ok() ? " -> " + s.rows() : " !! " + s.error()))
        .collect(Collectors.joining("\n"));
  }

  private static String withoutTimes(List<Episode> es) {
    List<Episode> out = new ArrayList<>();
    for (Episode e : es) {
      List<TraceStep> steps = e.trace().stream().map(s -> new TraceStep(s.step(), s.sql(), s.ok(),
          s.columns(), s.rows(), s.rowCount(), s.error(), 0)).toList();
      out.add(new Episode(e.id(), e.questionId(), e.traceIndex(), e.tools(), e.messages(), steps,
          e.answer(), e.mistake()));
    }
    return Json.write(out);
  }
}
