package io.convoforge.family.csvagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriangulationTest {
  private final Triangulation tri = Triangulation.of(0.1, 0.6);

  @Test
  void plantedWrongTracesLoseToTheMajority() {
    Question q = synthetic("mean", 42.37);
    Triangulation.Outcome o = tri.judge(q, traces(q, 17.0, 42.37, 42.4, 42.3, 42.36, null, 42.37));
    Verification v = o.verification();
    assertTrue(v.verified());
    assertEquals(42.37, v.majority());
    assertEquals(5.0 / 7, v.agreement(), 1e-9);
    assertEquals(Difficulty.MEDIUM, v.observedDifficulty());
    assertEquals(42.37, v.groundTruth());
    assertEquals(1, o.kept().traceIndex(), "the first trace that reached the majority");
    assertEquals(List.of("disagrees_with_majority", "redundant", "redundant", "redundant",
        "no_answer", "redundant"), reasons(o));
  }

  @Test
  void aWrongMajorityLeavesASyntheticQuestionUnverified() {
    Question q = synthetic("sum", 100L);
    Triangulation.Outcome o = tri.judge(q, traces(q, 90L, 90L, 100L, 90L, 90L, 100L, 100L));
    assertFalse(o.verification().verified());
    assertEquals(90L, o.verification().majority());
    assertNull(o.kept());
    assertEquals(7, o.rejections().size());
    assertTrue(o.rejections().stream().allMatch(r -> r.reason().equals("unverified")));
    assertTrue(o.rejections().get(0).detail().contains("ground truth 100"));
  }

  @Test
  void aTieIsNotVerifiedAndBreaksTowardsTheEarliestGroup() {
    Question q = synthetic("median", 5.0);
    Verification v = tri.verify(q, answers(7.0, 5.0, 7.0, 5.0, null, 7.05, 5.0));
    assertTrue(v.tied());
    assertEquals(7.0, v.majority(), "the group started first wins the tie");
    assertFalse(v.verified());
    assertEquals(3.0 / 7, v.agreement(), 1e-9);
  }

  @Test
  void allDifferentIsUnverified() {
    Question q = synthetic("max", 9L);
    Verification v = tri.verify(q, answers(1L, 2L, 3L, 4L, 5L, 6L, 9L));
    assertFalse(v.verified());
    assertEquals(1.0 / 7, v.agreement(), 1e-9);
    assertEquals(Difficulty.VERY_HARD, v.observedDifficulty());
  }

  @Test
  void noAnswersAtAll() {
    Question q = synthetic("count", 3L);
    Triangulation.Outcome o = tri.judge(q, traces(q, null, null, null));
    assertNull(o.verification().majority());
    assertFalse(o.verification().verified());
    assertEquals("no trace gave an answer", o.rejections().get(0).detail());
  }

  @Test
  void llmQuestionsNeedTheAgreementThreshold() {
    Question q = llm();
    Verification five = tri.verify(q, answers("Books", "books.", "BOOKS", "Toys", "Books", "books",
        "Garden"));
    assertTrue(five.verified());
    assertNull(five.groundTruth());
    Verification four = tri.verify(q, answers("Books", "books.", "Toys", "Toys", "Books", "books",
        "Garden"));
    assertEquals(4.0 / 7, four.agreement(), 1e-9);
    assertFalse(four.verified(), "4 of 7 is below 0.6");
    assertEquals(Difficulty.HARD, four.observedDifficulty());
  }

  @Test
  void topNListsCompareInOrderLlmListsAsSets() {
    Question top = new Question("q", null, "top 2", null, Difficulty.MEDIUM, Question.SYNTHETIC,
        "top_n", Program.topN("g", "count", null, 2, List.of()), null, List.of("A", "B"));
    Verification v = tri.verify(top, answers(List.of("B", "A"), List.of("B", "A"), List.of("A",
        "B")));
    assertFalse(v.verified(), "right items in the wrong order");
    Verification set = tri.verify(llm(), answers(List.of("B", "A"), List.of("A", "B"), "a, b"));
    assertEquals(1.0, set.agreement());
  }

  @Test
  void observedDifficultyBands() {
    assertEquals(Difficulty.EASY, Difficulty.observed(1.0));
    assertEquals(Difficulty.EASY, Difficulty.observed(6.0 / 7));
    assertEquals(Difficulty.MEDIUM, Difficulty.observed(5.0 / 7));
    assertEquals(Difficulty.HARD, Difficulty.observed(4.0 / 7));
    assertEquals(Difficulty.VERY_HARD, Difficulty.observed(3.0 / 7));
  }

  private static Question synthetic(String op, Object truth) {
    return new Question("q_test", new Question.Dataset("x.csv", "00"), "?", null,
        Difficulty.EASY, Question.SYNTHETIC, "aggregate",
        Program.scalar(op, op.equals("count") ? null : "x", List.of()), null, truth);
  }

  private static Question llm() {
    return new Question("q_llm", new Question.Dataset("x.csv", "00"), "Which?", null,
        Difficulty.MEDIUM, Question.LLM, null, null, null, null);
  }

  private static List<Object> answers(Object... a) {
    return Arrays.asList(a);
  }

  private static List<Episode> traces(Question q, Object... answers) {
    List<Episode> out = new ArrayList<>();
    for (int i = 0; i < answers.length; i++) {
      out.add(new Episode(Episode.id(q.id(), i), q.id(), i, List.of(), List.of(), List.of(),
          answers[i], null));
    }
    return out;
  }

  private static List<String> reasons(Triangulation.Outcome o) {
    return o.rejections().stream().map(Rejection::reason).toList();
  }
}
