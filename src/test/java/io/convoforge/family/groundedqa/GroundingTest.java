package io.convoforge.family.groundedqa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroundingTest {
  private static final LocalDate LATER = LocalDate.of(2099, 1, 1);
  private static final Chunk CHUNK = new Chunk("c-1", 0, "Plans", """
      The Plus plan costs $49.00 per month  and includes
      1,200 minutes.
      Support is open from 9:00 to 17:00 in Columbus. Refunds take three business days.
      The summit is on 18 March 2027.""");

  private static QaPair pair(String question, String answer, String evidence) {
    return new QaPair("q", "c-1", "Plans", question, answer, evidence);
  }

  private static Validation check(String answer, String evidence) {
    return Grounding.validate(pair("What?", answer, evidence), CHUNK, LATER);
  }

  @Test
  void evidenceIsVerbatimUpToWhitespaceRuns() {
    Validation v = check("The Plus plan costs $49 per month.",
        "The Plus plan costs $49.00 per month and includes 1,200 minutes.");
    assertTrue(v.passed(), v.detail());
    Validation cased = check("It costs $49.", "the plus plan costs $49.00 per month");
    assertEquals(List.of(Grounding.EVIDENCE_NOT_VERBATIM), cased.reasons());
    assertTrue(cased.detail().contains("not verbatim in chunk c-1"), cased.detail());
    Validation empty = check("It costs $49.", " \n");
    assertEquals(Grounding.EVIDENCE_EMPTY, empty.reasons().get(0));
  }

  @Test
  void normalisedValuesAreGrounded() {
    String evidence = "The Plus plan costs $49.00 per month and includes 1,200 minutes.";
    assertTrue(check("Plus is 49 a month with 1200 minutes.", evidence).passed());
    assertTrue(check("Plus is $49 a month.", evidence).passed());
    String hours = "Support is open from 9:00 to 17:00 in Columbus.";
    assertTrue(check("Support opens at 9am and closes at 5pm.", hours).passed(),
        check("Support opens at 9am and closes at 5pm.", hours).detail());
    assertTrue(check("Refunds take 3 business days.", "Refunds take three business days.")
        .passed());
  }

  @Test
  void anInventedNumberNameOrDateIsUngrounded() {
    String evidence = "The Plus plan costs $49.00 per month and includes 1,200 minutes.";
    Validation price = check("The Plus plan costs $59 per month.", evidence);
    assertEquals(List.of(Grounding.UNGROUNDED), price.reasons());
    assertTrue(price.detail().contains("money '59'"), price.detail());
    Validation name = check("Support is open in Denver.",
        "Support is open from 9:00 to 17:00 in Columbus.");
    assertTrue(name.detail().contains("name 'Denver'"), name.detail());
    Validation time = check("Support opens at 10am.",
        "Support is open from 9:00 to 17:00 in Columbus.");
    assertTrue(time.detail().contains("time '10am'"), time.detail());
    Validation days = check("Refunds take four business days.",
        "Refunds take three business days.");
    assertTrue(days.detail().contains("'four business days'"), days.detail());
    Validation date = check("The summit is on 19 March 2027.", "The summit is on 18 March 2027.");
    assertTrue(date.detail().contains("date '19 March 2027'"), date.detail());
    assertTrue(check("The summit is in March 2027.", "The summit is on 18 March 2027.")
        .passed(), "a coarser date is supported by a precise one");
  }

  @Test
  void aFutureDateInTheQuestionOrTheAnswerIsFlagged() {
    String evidence = "The summit is on 18 March 2027.";
    Validation answer = Grounding.validate(pair("When is the summit?",
        "The summit is on 18 March 2027.", evidence), CHUNK, Fixtures.AS_OF);
    assertEquals(List.of(Grounding.FUTURE_DATE), answer.reasons());
    assertTrue(answer.detail().contains("the answer mentions '18 March 2027'"),
        answer.detail());
    Validation question = Grounding.validate(pair("What happens in March 2027?",
        "The summit takes place.", evidence), CHUNK, Fixtures.AS_OF);
    assertTrue(question.detail().contains("the question mentions 'March 2027'"),
        question.detail());
    assertTrue(Grounding.validate(pair("When is the summit?", "On 18 March 2027.", evidence),
        CHUNK, LocalDate.of(2027, 3, 18)).passed(), "not future on the day itself");
  }

  @Test
  void reasonsAccumulate() {
    Validation v = Grounding.validate(pair("Any news for 2028 season?",
        "It costs $99.", "not in the chunk"), CHUNK, Fixtures.AS_OF);
    assertFalse(v.passed());
    assertEquals(List.of(Grounding.EVIDENCE_NOT_VERBATIM, Grounding.UNGROUNDED,
        Grounding.FUTURE_DATE), v.reasons());
  }
}
