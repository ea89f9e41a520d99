package io.convoforge.family.groundedqa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.convoforge.core.model.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValuesTest {
  @Test
  void valuesRoundTripThroughTheProjectMapperInSnakeCase() {
    QaPair pair = new QaPair("q-1", "c-1", "H", "Q?", "A.", "E.");
    String json = Json.write(pair);
    assertEquals("{\"id\":\"q-1\",\"chunk_id\":\"c-1\",\"heading\":\"H\",\"question\":\"Q?\","
        + "\"answer\":\"A.\",\"evidence\":\"E.\"}", json);
    assertEquals(pair, Json.read(json, QaPair.class));
    Chunk chunk = new Chunk("c-1", 0, "A > Past", "T.");
    assertFalse(Json.write(chunk).contains("topic"), "derived values are not fields");
    assertEquals(chunk, Json.read(Json.write(chunk), Chunk.class));
    Persona persona = new Persona("p", "Ann Lee", "tenant", List.of("billing"));
    assertFalse(Json.write(persona).contains("first"), Json.write(persona));
    assertEquals(persona, Json.read(Json.write(persona), Persona.class));
    for (Object v : List.of(new Style("s", "d"), Utterance.user("hi"), Verdict.fail("x"),
        new Validation(false, List.of("ungrounded"), "d"),
        new DateMention("Q2 2027", java.time.LocalDate.of(2027, 4, 1)))) {
      assertEquals(v, Json.read(Json.write(v), v.getClass()), Json.write(v));
    }
  }
}
