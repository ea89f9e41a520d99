package io.convoforge.family.csvagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerMatchTest {
  private final AnswerMatch m = new AnswerMatch(0.1);

  @Test
  void toleranceIsAbsoluteAndInclusive() {
    assertTrue(m.same(1.0, 1.1, true), "exactly the tolerance apart");
    assertFalse(m.same(1.0, 1.1000001, true));
    assertTrue(m.same(-0.05, 0.05, true));
    assertTrue(m.same(1_000_000, 1_000_000.1, true), "absolute at any magnitude");
    assertFalse(m.same(1_000_000, 1_000_000.11, true));
    assertFalse(m.same(1012, 1015, true), "a wrong count is caught");
    assertTrue(m.same(0.0375, 0.1375, true));
    assertFalse(m.same(0.0375, 0.1376, true));
    assertTrue(new AnswerMatch(0).same(2L, 2.0, true));
    assertFalse(new AnswerMatch(0).same(2L, 2.001, true));
  }

  @Test
  void textIsNormalised() {
    assertTrue(m.same("  Books. ", "books", true));
    assertTrue(m.same("'Home & Kitchen'", "home   &  kitchen", true));
    assertTrue(m.same("1,234.5", 1234.5, true), "thousands separators");
    assertTrue(m.same("1,234.5", "1234.56", true));
    assertFalse(m.same("1,234.5", 1234.62, true));
    assertTrue(m.same("12!", 12L, true));
    assertFalse(m.same("Books", "Book", true));
    assertTrue(m.same("2024-03-01", "2024-03-01.", true));
  }

  @Test
  void listsInOrderOrAsMultisets() {
    assertTrue(m.same(List.of("A", "B", "C"), List.of("a", "b ", "c."), true));
    assertFalse(m.same(List.of("A", "B", "C"), List.of("B", "A", "C"), true));
    assertTrue(m.same(List.of("A", "B", "C"), List.of("B", "A", "C"), false));
    assertFalse(m.same(List.of("A", "B"), List.of("A", "B", "C"), false));
    assertTrue(m.same(List.of("A", "B"), "a, b", true), "list against comma-separated text");
    assertTrue(m.same(List.of(1.0, 2.0), List.of(2.05, 0.95), false));
  }

  @Test
  void missingAnswersMatchNothing() {
    assertFalse(m.same(null, null, true));
    assertFalse(m.same(null, 1, true));
    assertEquals(null, AnswerMatch.normalize(null));
  }
}
