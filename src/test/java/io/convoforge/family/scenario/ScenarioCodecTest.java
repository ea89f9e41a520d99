package io.convoforge.family.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.model.Json;
import io.convoforge.core.model.Judgement;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.family.scenario.model.ScenarioCall;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The family's record format: written as the record, read back into the envelope. */
class ScenarioCodecTest {
  private final ScenarioCodec codec = new ScenarioCodec();

  private static Record<ScenarioCall> record() {
    Map<String, String> slice = new TreeMap<>(Map.of(ScenarioCodec.SCENARIO, "FACT-01",
        ScenarioCodec.BATCH, "b-1", ScenarioCodec.LANGUAGE, "es-ES", ScenarioCodec.PROMPT,
        "p-1"));
    Map<String, Object> lineage = new TreeMap<>(Map.of("run_id", "abc", "recipe",
        "call-centre-es", "batch_index", 3, "slot", 4, "seed", 7));
    return new Record<>("b-1-c0004", "call-centre-es", ScenarioCodec.KIND, slice,
        List.of(new Message("agent", "Hola", "2026-03-02T09:00:00+01:00", null, null),
            new Message("client", "Buenas", "2026-03-02T09:00:09+01:00", null, null)),
        new ScenarioCall("Cargo duplicado", 3, 4),
        new Judgement(false, 0.5, Map.of("length", new Judgement.Criterion(false, "2 messages"),
            "language", new Judgement.Criterion(true, null))), null, lineage);
  }

  @Test
  void rendersTheRecordFormatInItsOrder() {
    String line = Json.write(codec.render(record()));
    assertTrue(line.startsWith("{\"id\":\"b-1-c0004\",\"batch_id\":\"b-1\",\"prompt_id\":\"p-1\","
        + "\"scenario\":{\"id\":\"FACT-01\",\"title\":\"Cargo duplicado\"},\"language\":\"es-ES\","
        + "\"messages\":[{\"role\":\"agent\",\"text\":\"Hola\","
        + "\"timestamp\":\"2026-03-02T09:00:00+01:00\"}"), line);
    assertTrue(line.contains("\"judgement\":{\"criteria\":{\"language\":{\"passed\":true},"
        + "\"length\":{\"detail\":\"2 messages\",\"passed\":false}},\"passed\":false,"
        + "\"score\":0.5}"), line);
    assertTrue(line.contains("\"lineage\":{\"batch_index\":3,"), line);
  }

  @Test
  void parsesWhatItRendersBackIntoTheEnvelope() {
    Record<ScenarioCall> r = record();
    Record<ScenarioCall> back = codec.parse(Json.parse(Json.write(codec.render(r))));
    assertEquals(r.id(), back.id());
    assertEquals(r.recipe(), back.recipe());
    assertEquals(r.slice(), back.slice());
    assertEquals(r.messages(), back.messages());
    assertEquals(r.payload(), back.payload());
    assertEquals(r.judgement(), back.judgement());
    assertEquals(Json.write(codec.render(r)), Json.write(codec.render(back)), "stable");
    assertThrows(IllegalArgumentException.class, () -> codec.parse(Json.parse("{\"x\":1}")));
  }
}
