package io.convoforge.family.scenario;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.model.Role;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptRulesTest {
  private static final PromptSpec SPEC = PromptSpec.parse("x.md", "---\ntitle: T\nlanguage: es\n"
      + "turns: 6\ntiming:\n  start: 2026-03-02T09:00:00+01:00\n"
      + "  latency_seconds: {agent: [2, 10], client: [5, 30]}\n---\n## Scenarios\n"
      + "### F-1 — Factura\n- intent: reclamar un cargo\n- tone: molesto\n"
      + "- progression: revisar la factura → abonar el cargo duplicado en la próxima factura\n");
  private static final Scenario F1 = SPEC.scenarios().get(0);
  private static final TranscriptRules RULES = TranscriptRules.forSpec(SPEC);

  /** A correct call: agent first, 6 messages, Spanish, outcome at the end, valid gaps. */
  private static List<Message> good() {
    return new ArrayList<>(List.of(
        new Message(Role.AGENT, "Buenos días, le atiende Marta. ¿En qué puedo ayudarle?",
            "2026-03-02T09:00:00+01:00"),
        new Message(Role.CLIENT, "Hola, llamo para reclamar un cargo que me han cobrado dos veces.",
            "2026-03-02T09:00:20+01:00"),
        new Message(Role.AGENT, "Ahora mismo voy a revisar la factura.",
            "2026-03-02T09:00:25+01:00"),
        new Message(Role.CLIENT, "Vale, espero.", "2026-03-02T09:00:31+01:00"),
        new Message(Role.AGENT, "Listo: vamos a abonar el cargo duplicado en la próxima factura.",
            "2026-03-02T09:00:40+01:00"),
        new Message(Role.CLIENT, "Perfecto, muchas gracias. Adiós.",
            "2026-03-02T09:01:00+01:00")));
  }

  private static Message with(Message m, String text, String ts) {
    return new Message(m.role(), text == null ? m.text() : text, ts == null ? m.timestamp() : ts);
  }

  @Test
  void goodCallPassesEveryRule() {
    List<Verdict> v = RULES.check(F1, good());
    assertTrue(TranscriptRules.allPassed(v), v.toString());
  }

  @Test
  void wrongFirstSpeaker() {
    List<Message> m = good();
    m.set(0, new Message(Role.CLIENT, m.get(0).text(), m.get(0).timestamp()));
    Verdict v = RULES.alternation(m);
    assertFalse(v.passed());
    assertTrue(v.detail().contains("first speaker"), v.detail());
  }

  @Test
  void rolesMustAlternate() {
    List<Message> m = good();
    m.set(3, new Message(Role.AGENT, m.get(3).text(), m.get(3).timestamp()));
    Verdict v = RULES.alternation(m);
    assertFalse(v.passed());
    assertTrue(v.detail().startsWith("message 3"), v.detail());
  }

  @Test
  void exactlyTurnsMessages() {
    List<Message> m = good();
    m.remove(5);
    assertFalse(RULES.length(m).passed());
    m = good();
    m.add(new Message(Role.AGENT, "Adiós.", "2026-03-02T09:01:05+01:00"));
    assertFalse(RULES.length(m).passed());
  }

  @Test
  void noEmptyMessage() {
    List<Message> m = good();
    m.set(2, with(m.get(2), "   ", null));
    Verdict v = RULES.nonEmpty(m);
    assertFalse(v.passed());
    assertTrue(v.detail().contains("message 2"));
  }

  @Test
  void languageByStopWords() {
    List<Message> m = new ArrayList<>();
    for (Message x : good()) {
      m.add(with(x, "I am calling about the bill and I would like you to fix it.", null));
    }
    Verdict v = RULES.language(m);
    assertFalse(v.passed());
    assertTrue(v.detail().contains("reads as en"), v.detail());
    List<Message> names = new ArrayList<>();
    for (Message x : good()) {
      names.add(with(x, "Marta García, INC-482193, 39,90 €.", null));
    }
    assertFalse(RULES.language(names).passed(), "no function words at all");
  }

  @Test
  void unknownLanguageIsSkippedWithANote() {
    PromptSpec pt = Fixtures.spec(Fixtures.PT);
    Verdict v = TranscriptRules.forSpec(pt).language(good());
    assertTrue(v.passed());
    assertTrue(v.detail().startsWith("skipped"), v.detail());
  }

  @Test
  void progressionMustBeReachedInTheLastThird() {
    List<Message> m = good();
    m.set(4, with(m.get(4), "Lo estoy mirando todavía.", null));
    Verdict v = RULES.progression(F1, m);
    assertFalse(v.passed(), v.detail());
    assertTrue(v.detail().contains("missing"), v.detail());
    List<Message> early = good();
    early.set(1, with(early.get(1), "Quiero que abonen el cargo duplicado en la próxima factura.",
        null));
    early.set(4, with(early.get(4), "Lo estoy mirando todavía.", null));
    assertFalse(RULES.progression(F1, early).passed(), "outcome said early does not count");
  }

  @Test
  void inflectedOutcomeTermsCount() {
    List<Message> m = good();
    m.set(4, with(m.get(4), "Le abono el cargo duplicado en la próxima factura.", null));
    assertTrue(RULES.progression(F1, m).passed(), RULES.progression(F1, m).detail());
  }

  @Test
  void timestampsStrictlyIncrease() {
    List<Message> m = good();
    m.set(3, with(m.get(3), null, "2026-03-02T09:00:25+01:00"));
    Verdict v = RULES.timestamps(m);
    assertFalse(v.passed());
    assertTrue(v.detail().contains("does not come after"), v.detail());
  }

  @Test
  void gapsStayInTheSpeakersLatency() {
    List<Message> m = good();
    m.set(2, with(m.get(2), null, "2026-03-02T09:00:21+01:00"));   // agent gap 1 s < 2
    Verdict v = RULES.timestamps(m);
    assertFalse(v.passed());
    assertTrue(v.detail().contains("agent latency [2, 10]"), v.detail());
    m = good();
    m.set(1, with(m.get(1), null, "2026-03-02T09:00:50+01:00"));   // client gap 50 s > 30
    assertFalse(RULES.timestamps(m).passed());
  }

  @Test
  void timestampsKeepTheSpecsOffsetAndAreAllThere() {
    List<Message> m = good();
    m.set(5, with(m.get(5), null, "2026-03-02T08:01:00Z"));
    assertTrue(RULES.timestamps(m).detail().contains("offset"));
    m = good();
    m.set(2, new Message(Role.AGENT, "Voy a revisar la factura.", null));
    assertTrue(RULES.timestamps(m).detail().contains("no timestamp"));
    m = good();
    m.set(2, with(m.get(2), null, "yesterday"));
    assertFalse(RULES.timestamps(m).passed());
  }
}
