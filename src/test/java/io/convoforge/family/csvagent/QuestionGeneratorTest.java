package io.convoforge.family.csvagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.model.Json;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class QuestionGeneratorTest {
  static List<String> csvs() {
    return java.util.stream.Stream.concat(Fixtures.NAMES.stream(), java.util.stream.Stream.of(
        "keywords")).toList();
  }

  @ParameterizedTest
  @MethodSource("csvs")
  void everyAnswerIsRecomputedFromItsProgramInPlainJava(String name) {
    CsvTable t = Fixtures.table(name);
    Profile p = Fixtures.profile(name);
    List<Question> qs = QuestionGenerator.synthetic(t, p, 45, 7L);
    ProgramOracle oracle = new ProgramOracle(t, p);
    for (Question q : qs) {
      Object exact = oracle.eval(q.program());
      assertTrue(ProgramOracle.agrees(q.answer(), exact),
          () -> q.template() + " " + Json.write(q.program()) + ": stored " + q.answer()
              + ", recomputed " + exact + "\n" + q.sql());
    }
    Set<String> templates = qs.stream().map(Question::template).collect(Collectors.toSet());
    Set<String> expected = new HashSet<>(QuestionTemplates.ORDER);
    assertEquals(expected, templates, "every template instantiated on " + name);
  }

  @ParameterizedTest
  @MethodSource("csvs")
  void questionsAreDeterministicSpreadAndWellFormed(String name) {
    CsvTable t = Fixtures.table(name);
    Profile p = Fixtures.profile(name);
    List<Question> a = QuestionGenerator.synthetic(t, p, 40, 7L);
    assertEquals(Json.write(a), Json.write(QuestionGenerator.synthetic(t, p, 40, 7L)));
    assertNotEquals(Json.write(a.subList(0, 10)),
        Json.write(QuestionGenerator.synthetic(t, p, 10, 8L)));
    assertEquals(40, a.size());
    assertEquals(40, a.stream().map(Question::id).distinct().count());
    if (!name.equals("keywords")) {
      assertEquals(EnumSet.allOf(Difficulty.class),
          a.stream().map(Question::difficulty).collect(Collectors.toCollection(
              () -> EnumSet.noneOf(Difficulty.class))), "difficulties spread on " + name);
    }
    for (Question q : a) {
      assertEquals(Question.SYNTHETIC, q.source());
      assertEquals(t.sha256(), q.dataset().sha256());
      assertEquals(Difficulty.of(q.program()), q.difficulty());
      assertTrue(q.text().startsWith("In " + t.file() + ", "), q.text());
      boolean nulls = q.program().columns().stream().anyMatch(c -> p.column(c).nulls() > 0);
      assertEquals(nulls, q.text().contains("are missing values and are ignored"), q.text());
      for (String c : q.program().columns()) {
        assertTrue(!p.column(c).identifier(), "no question reads an id column: " + q.text());
      }
    }
  }
}
