package io.convoforge.family.scenario.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.input.InputException;
import io.convoforge.family.scenario.Fixtures;
import io.convoforge.family.scenario.OfflineBatches;
import io.convoforge.family.scenario.ScenarioPlan;
import io.convoforge.family.scenario.Timeline;
import io.convoforge.family.scenario.TranscriptRules;
import io.convoforge.family.scenario.Verdict;
import io.convoforge.family.scenario.batch.BatchFile;
import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.model.Transcript;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OfflineTranscriptsTest {

  /** Every call of a 2-batch run of each spec passes every rule and reads as filled text. */
  @ParameterizedTest
  @ValueSource(strings = {"data/prompts/telecom-soporte-es.md",
      "data/prompts/insurance-claims-en.md", "src/test/resources/scenario/cartoes-pt.md"})
  void callsPassTheRules(String file) {
    PromptSpec spec = Fixtures.spec(Path.of(file));
    OfflineTranscripts w = Fixtures.writer(spec);
    ScenarioPlan plan = ScenarioPlan.random(spec, 11, 80, 40);
    Set<String> texts = new HashSet<>();
    for (int b = 0; b < plan.batches(); b++) {
      BatchFile batch = OfflineBatches.assemble(plan, b, file, w);   // throws on a broken rule
      for (Transcript t : batch.conversations()) {
        assertEquals(spec.turns(), t.messages().size());
        for (Message m : t.messages()) {
          assertFalse(m.text().contains("{") || m.text().contains("}")
              || m.text().contains("null"), m.text());
          texts.add(m.text());
        }
      }
    }
    assertTrue(texts.size() > 80 * spec.turns() / 4, "varied text: " + texts.size());
  }

  /** Any turn count and either first speaker keeps every rule: the script adapts. */
  @Test
  void everyShapeOfCallPassesTheRules() {
    for (String first : List.of("agent", "client")) {
      for (int turns = 4; turns <= 31; turns++) {
        for (int steps = 1; steps <= 5; steps++) {
          StringBuilder progression = new StringBuilder();
          for (int s = 1; s < steps; s++) {
            progression.append("revisar el punto ").append(s).append(" del contrato → ");
          }
          progression.append("emitir el reembolso completo del importe");
          PromptSpec spec = PromptSpec.parse("shape.md", "---\ntitle: Shape\nlanguage: es\n"
              + "first: " + first + "\nturns: " + turns + "\ntiming:\n"
              + "  start: 2026-01-01T00:00:00Z\n  latency_seconds: {agent: [1, 3], client: [2, 9]}\n"
              + "---\n## Scenarios\n### S — s\n- intent: pedir un reembolso\n- tone: molesto\n"
              + "- progression: " + progression + "\n");
          OfflineTranscripts w = OfflineTranscripts.forSpec(spec);
          Timeline tl = Timeline.of(spec, 1);
          Scenario s = spec.scenarios().get(0);
          List<Message> m = tl.stamp(w.write(s, "c", turns), 0, 0, 1, "c");
          List<Verdict> v = TranscriptRules.forSpec(spec).check(s, m);
          assertTrue(TranscriptRules.allPassed(v), first + " " + turns + " turns, " + steps
              + " steps: " + v + "\n" + m);
        }
      }
    }
  }

  @Test
  void progressionStepsAreWalkedInOrder() {
    PromptSpec es = Fixtures.spec(Fixtures.ES);
    Scenario s = es.scenario("RECLAMA-01").get();
    List<Message> m = Fixtures.writer(es).write(s, "c", 5);
    String all = String.join("\n", m.stream().map(Message::text).toList());
    int prev = -1;
    for (String step : s.progressionSteps()) {
      int at = all.indexOf(step.substring(0, 20));
      assertTrue(at > prev, "step '" + step + "' out of order in\n" + all);
      prev = at;
    }
  }

  @Test
  void deterministicPerConversation() {
    PromptSpec en = Fixtures.spec(Fixtures.EN);
    OfflineTranscripts w = Fixtures.writer(en);
    Scenario s = en.scenarios().get(1);
    assertEquals(w.write(s, "a", 1), w.write(s, "a", 1));
    assertNotEquals(w.write(s, "a", 1), w.write(s, "b", 1));
    assertNotEquals(w.write(s, "a", 1), w.write(s, "a", 2));
  }

  @Test
  void missingBankNamesTheSpecAndTheBank() {
    PromptSpec pt = Fixtures.spec(Fixtures.PT);
    InputException e = assertThrows(InputException.class, () -> OfflineTranscripts.forSpec(pt));
    assertTrue(e.getMessage().contains(Fixtures.PT.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("phrases/pt.yaml"), e.getMessage());
  }

  @Test
  void unknownPlaceholderInADetailNamesTheScenarioLine() {
    PromptSpec spec = PromptSpec.parse("d.md", "---\ntitle: T\nlanguage: en\nturns: 6\n---\n"
        + "## Scenarios\n### A — a\n- intent: i\n- tone: t\n- progression: p\n"
        + "- detail: It cost {price}.\n");
    InputException e = assertThrows(InputException.class, () -> OfflineTranscripts.forSpec(spec));
    assertTrue(e.getMessage().contains("line 7") && e.getMessage().contains("{price}"),
        e.getMessage());
  }

  @Test
  void brokenBankNamesTheEntry() {
    InputException e = assertThrows(InputException.class,
        () -> PhraseBook.parse("bad.yaml", "agent: {greeting: [\"Hi {nobody}\"]}\n"));
    assertTrue(e.getMessage().startsWith("bad.yaml, "), e.getMessage());
  }
}
