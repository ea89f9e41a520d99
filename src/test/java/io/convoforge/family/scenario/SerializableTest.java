package io.convoforge.family.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.offline.OfflineTranscripts;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a pipeline's DoFns capture travels through Java serialization and works the same. */
class SerializableTest {
  @SuppressWarnings("unchecked")
  private static <T> T copy(T value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(
        new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void writerPlanTimelineAndRulesSurviveACopy() throws Exception {
    PromptSpec es = Fixtures.spec(Fixtures.ES);
    ScenarioPlan plan = ScenarioPlan.random(es, 4, 20, 10);
    ScenarioPlan planCopy = copy(plan);
    assertEquals(plan.scenarios(0), planCopy.scenarios(0));
    assertEquals(plan.scenarios(1), planCopy.scenarios(1));

    OfflineTranscripts w = Fixtures.writer(es);
    Timeline tl = Timeline.of(es, 10);
    Scenario s = plan.scenario(1, 3);
    List<Message> m = tl.stamp(w.write(s, "c", 4), 1, 3, 4, "c");
    List<Message> again = copy(tl).stamp(copy(w).write(copy(s), "c", 4), 1, 3, 4, "c");
    assertEquals(m, again);
    assertEquals(TranscriptRules.forSpec(es).check(s, m),
        copy(TranscriptRules.forSpec(es)).check(s, m));
  }
}
