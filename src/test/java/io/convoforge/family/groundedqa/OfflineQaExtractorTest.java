package io.convoforge.family.groundedqa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OfflineQaExtractorTest {
  private static void assertGroundedPairs(List<Chunk> chunks) {
    List<QaPair> pairs = Fixtures.pairs(chunks, 10, 7);
    assertTrue(pairs.size() >= chunks.size(), "about one pair per sentence: " + pairs.size());
    int future = 0;
    for (QaPair p : pairs) {
      Chunk chunk = Fixtures.chunkOf(chunks, p);
      Validation v = Grounding.validate(p, chunk, Fixtures.AS_OF);
      for (String reason : v.reasons()) {
        assertEquals(Grounding.FUTURE_DATE, reason, p + " -> " + v.detail());
      }
      future += v.passed() ? 0 : 1;
      assertTrue(chunk.text().contains(p.evidence()), "verbatim as is: " + p.evidence());
      assertTrue(p.question().endsWith("?") && Character.isUpperCase(p.question().charAt(0)),
          p.question());
      assertFalse(p.question().contains("{") || p.answer().contains("**"), p.toString());
      assertEquals(chunk.heading(), p.heading());
    }
    assertTrue(future > 0, "sentences about future dates make pairs that fail validation");
  }

  @Test
  void pairsOfTheShippedDocumentAreVerbatimAndGrounded() {
    assertGroundedPairs(Fixtures.facts());
  }

  @Test
  void pairsOfTheTestDocumentAreVerbatimAndGrounded() {
    assertGroundedPairs(Fixtures.library());
  }

  @Test
  void extractionIsDeterministicBySeedAndChunk() {
    List<Chunk> chunks = Fixtures.facts();
    assertEquals(Fixtures.pairs(chunks, 2, 11), Fixtures.pairs(chunks, 2, 11));
    assertNotEquals(Fixtures.pairs(chunks, 2, 11), Fixtures.pairs(chunks, 2, 12));
    Chunk c = chunks.get(1);
    assertEquals(List.of(), OfflineQaExtractor.extract(c, 0, 1));
    assertEquals(6, OfflineQaExtractor.extract(c, 50, 1).size(), "one per sentence at most");
    List<QaPair> one = OfflineQaExtractor.extract(c, 50, 1);
    assertEquals(one.stream().map(QaPair::evidence).distinct().count(), one.size());
  }

  @Test
  void sentencesWithFactsArePreferred() {
    Chunk c = new Chunk("c-x-0", 0, "Plans", "We love our customers very much indeed. "
        + "The Pro plan costs $9.99 per month. Our team is friendly and helpful always.");
    long withPrice = 0;
    for (long seed = 0; seed < 200; seed++) {
      withPrice += OfflineQaExtractor.extract(c, 1, seed).get(0).answer().contains("$9.99")
          ? 1 : 0;
    }
    assertTrue(withPrice > 120, "weight 4 of 6 expected ~67%, got " + withPrice + "/200");
  }

  @Test
  void tableRowsAreReadWithTheirHeader() {
    QaPair dvd = Fixtures.pairs(Fixtures.library(), 10, 1).stream()
        .filter(p -> p.evidence().contains("DVDs |")).findFirst().orElseThrow();
    assertEquals("| DVDs | 7 days | 1 |", dvd.evidence());
    assertEquals("For DVDs, the loan period is 7 days and the renewals are 1.", dvd.answer());
    assertEquals("How long is the loan period for DVDs?", dvd.question());
  }

  @Test
  void answersAreTrimmedOnlyAndLongSentencesSplitAtClauses() {
    assertEquals("Refunds take 5 days.",
        OfflineQaExtractor.answerOf("However, **refunds** take 5 days."));
    assertEquals("Returns are free with the label.",
        OfflineQaExtractor.answerOf("Note that returns are free with the [label](http://x)."));
    List<OfflineQaExtractor.Unit> units = OfflineQaExtractor.units(Fixtures.library().stream()
        .filter(c -> c.text().length() > 400).findFirst().orElseThrow().text());
    assertTrue(units.size() >= 2, "an over-long sentence is read clause by clause");
    assertTrue(units.get(0).answer().startsWith("Interlibrary loans from other county systems"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "The Plus plan costs $4.99 per month. | How much does the Plus plan cost?",
      "Standard shipping takes 3 to 5 business days. | How long does standard shipping take?",
      "Refunds are issued within 5 business days. | How quickly are refunds issued?",
      "Room sensors are covered for 1 year. | How long are room sensors covered?",
      "Live chat is open from 8:00 to 20:00 Eastern. | When is live chat open?",
      "Author talks happen on the first Thursday at 7 pm. | When do author talks happen?",
      "The Gen 3 thermostat launched on 12 March 2025. | When was the Gen 3 thermostat launched?",
      "The webinar took place on 15 October 2026. | When did the webinar take place?",
      "Gift cards cannot be refunded or exchanged for cash. | Can gift cards be refunded or "
          + "exchanged for cash?",
      "Installers must be booked 48 hours in advance. | Do installers have to be booked 48 hours"
          + " in advance?",
      "Fines are waived for members under 18. | Are fines waived for members under 18?",
      "If a payment fails, we retry it 3 times. | What happens if a payment fails?",
      "On weekends, email support answers within 24 hours. | How quickly does email support "
          + "answer on weekends?",
      "We never sell customer data. | Do you sell customer data?",
      "Nonprofits get 25% off any paid plan. | What discount do nonprofits get?",
      "The warranty covers manufacturing defects. | What does the warranty cover?",
      "Every paid plan starts with a free trial. | What does every paid plan start with?",
      "Return shipping is free when you use the label. | Is return shipping free when I use "
          + "the label?"})
  void questionTemplatesFollowWhatTheSentenceHolds(String sentence, String question) {
    Chunk c = new Chunk("c-y-0", 0, "Help", sentence);
    OfflineQaExtractor.Unit u = OfflineQaExtractor.units(sentence).get(0);
    String asked = Questions.ask(u, c, new SplittableRandom(3));
    if (question.startsWith("How much does the Plus plan")) {
      assertTrue(List.of(question, "What is the price of the Plus plan?",
          "How much is the Plus plan?").contains(asked), asked);
    } else {
      assertEquals(question, asked);
    }
  }

  @Test
  void unparsableSentencesAskAboutTheTopic() {
    Chunk c = new Chunk("c-z-0", 2, "Guide > Shipping and Delivery",
        "Orders placed before 2 pm on a business day ship the same day.");
    String q = OfflineQaExtractor.extract(c, 1, 1).get(0).question();
    assertTrue(q.contains("shipping and delivery"), q);
  }
}
