package io.convoforge.family.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.model.Role;
import io.convoforge.family.scenario.spec.PromptSpec;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {
  private static final PromptSpec ES = Fixtures.spec(Fixtures.ES);

  private static List<Message> blank(PromptSpec spec) {
    List<Message> m = new ArrayList<>();
    for (int i = 0; i < spec.turns(); i++) {
      m.add(new Message(Role.at(spec.first(), i), "x", null));
    }
    return m;
  }

  @Test
  void firstCallStartsAtTheSpecStart() {
    Timeline t = Timeline.of(ES, 10);
    List<Message> m = t.stamp(blank(ES), 0, 0, 42, "c0");
    assertEquals("2026-03-02T09:00:00+01:00", m.get(0).timestamp());
  }

  @Test
  void callsFollowEachOtherAcrossBatches() {
    int size = 5;
    Timeline t = Timeline.of(ES, size);
    TranscriptRules rules = TranscriptRules.forSpec(ES);
    OffsetDateTime previousEnd = null;
    for (int b = 0; b < 3; b++) {
      for (int slot = 0; slot < size; slot++) {
        String id = "b" + b + "-c" + slot;
        List<Message> m = t.stamp(blank(ES), b, slot, 7, id);
        assertTrue(rules.timestamps(m).passed(), rules.timestamps(m).detail());
        OffsetDateTime start = OffsetDateTime.parse(m.get(0).timestamp());
        if (previousEnd != null) {
          assertTrue(start.isAfter(previousEnd), id + " starts before the previous call ends");
        }
        previousEnd = OffsetDateTime.parse(m.get(m.size() - 1).timestamp());
      }
    }
  }

  @Test
  void deterministic() {
    Timeline t = Timeline.of(ES, 10);
    assertEquals(t.stamp(blank(ES), 1, 3, 9, "x"), t.stamp(blank(ES), 1, 3, 9, "x"));
  }

  @Test
  void noTimingNoTimeline() {
    PromptSpec s = PromptSpec.parse("x.md", "---\ntitle: T\nlanguage: en\nturns: 4\n---\n"
        + "## Scenarios\n### A — a\n- intent: i\n- tone: t\n- progression: p\n");
    assertNull(Timeline.of(s, 10));
  }
}
