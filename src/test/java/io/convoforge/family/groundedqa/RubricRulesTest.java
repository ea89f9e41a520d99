package io.convoforge.family.groundedqa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RubricRulesTest {
  private static final QaPair PAIR = new QaPair("q-1", "c-1",
      "Hearthly Customer Facts > Plans and Prices", "How much does the Plus plan cost?",
      "The Plus plan costs $4.99 per month and adds up to 8 zones.",
      "The Plus plan costs $4.99 per month and adds up to 8 zones.");
  private static final Persona PERSONA = new Persona("p", "Maria Lopez", "landlord",
      List.of("plans"));
  private static final Style STYLE = new Style("casual", "");

  private static List<Utterance> good() {
    return List.of(
        Utterance.user("Hi, I'm Maria. How much does the Plus plan cost?"),
        Utterance.assistant("Hi Maria! The Plus plan costs $4.99 per month and adds up to 8 "
            + "zones."),
        Utterance.user("Is there anything else about plans and prices?"),
        Utterance.assistant("That's all I have. To recap: The Plus plan costs $4.99 per month "
            + "and adds up to 8 zones."),
        Utterance.user("Thanks, that helps."),
        Utterance.assistant("You're welcome. Have a great day."));
  }

  private static Map<String, Verdict> judge(List<Utterance> d) {
    return RubricRules.judge(PAIR, d, PERSONA, STYLE);
  }

  private static List<Utterance> with(int index, Utterance u) {
    List<Utterance> d = new ArrayList<>(good());
    d.set(index, u);
    return d;
  }

  private static void assertFails(String criterion, List<Utterance> d, String detail) {
    Verdict v = judge(d).get(criterion);
    assertFalse(v.passed(), criterion + " should fail: " + d);
    assertTrue(v.detail().contains(detail), v.detail());
  }

  @Test
  void aGoodDialoguePassesEveryCriterion() {
    Map<String, Verdict> v = judge(good());
    assertEquals(List.copyOf(RubricRules.CRITERIA.keySet()), List.copyOf(v.keySet()));
    assertEquals(List.of("factual", "natural", "on_topic", "adds_value"),
        List.copyOf(v.keySet()));
    v.forEach((k, verdict) -> assertTrue(verdict.passed(), k + ": " + verdict.detail()));
  }

  @Test
  void anInventedPriceNameOrDateIsNotFactual() {
    assertFails("factual", with(3, Utterance.assistant("Also, from next month it is $5.99.")),
        "message 4 (assistant) states money '5.99'");
    assertFails("factual", with(3, Utterance.assistant("Our team in Denver can confirm that.")),
        "name 'Denver'");
    assertFails("factual", with(3, Utterance.assistant("That changes on 1 February 2027.")),
        "date '1 February 2027'");
    assertTrue(judge(with(3, Utterance.assistant("Sure, Maria, the landlord plan is the Plus "
        + "plan."))).get("factual").passed(), "the persona's own name and role are fine");
  }

  @Test
  void anAnswerMissingItsNumbersIsNotFactualAndAddsNoValue() {
    List<Utterance> vague = with(1, Utterance.assistant("The Plus plan has a small monthly "
        + "fee."));
    vague.set(3, Utterance.assistant("It is affordable."));
    assertFails("factual", vague, "the answer's money '4.99' never appears");
    assertFails("adds_value", vague, "none of the evidence's facts");
  }

  @Test
  void anOffTopicAnswerIsCaught() {
    List<Utterance> d = with(1, Utterance.assistant("Our cafeteria serves soup every day."));
    assertFails("on_topic", d, "shares no word with the question");
    assertFails("adds_value", d, "none of the evidence's facts");
    List<Utterance> elsewhere = List.of(Utterance.user("Do you like football?"),
        Utterance.assistant("Football is great fun to watch."));
    assertFails("on_topic", elsewhere, "mentions none of the topic's words");
  }

  @Test
  void brokenShapesAreNotNatural() {
    assertFails("natural", with(2, Utterance.user("  ")), "message 3 (user) is empty");
    assertFails("natural", with(2, Utterance.assistant("Anything else?")),
        "message 3 is from the assistant but the user should speak");
    assertFails("natural", with(0, new Utterance("system", "You are a bot.")),
        "has role 'system'");
    assertFails("natural", with(2, Utterance.user("Ask about {topic} please.")),
        "placeholder");
    assertFails("natural", with(3, Utterance.assistant("{{answer}}")), "placeholder");
    assertFails("natural", with(3, good().get(1)), "message 4 repeats message 2");
    assertFails("natural", with(4, Utterance.user("x".repeat(1300))), "1300 characters");
    assertFails("natural", good().subList(0, 5), "ends with an unanswered user message");
    assertFails("natural", List.of(), "no messages");
  }

  @Test
  void evidenceWithoutHardFactsNeedsAQuotedRun() {
    QaPair soft = new QaPair("q-2", "c-2", "Returns", "Can gift cards be refunded?",
        "Gift cards cannot be refunded or exchanged for cash.",
        "Gift cards cannot be refunded or exchanged for cash.");
    List<Utterance> quoted = List.of(Utterance.user("Can gift cards be refunded?"),
        Utterance.assistant("Sadly, gift cards cannot be refunded or exchanged for cash."));
    assertTrue(RubricRules.judge(soft, quoted, PERSONA, STYLE).get("adds_value").passed());
    List<Utterance> evasive = List.of(Utterance.user("Can gift cards be refunded?"),
        Utterance.assistant("Gift cards have their own rules; please check."));
    assertFalse(RubricRules.judge(soft, evasive, PERSONA, STYLE).get("adds_value").passed());
  }
}
