package io.convoforge.family.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Schema;
import io.convoforge.core.input.JsonSchemas;
import io.convoforge.core.model.Json;
import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.model.Role;
import io.convoforge.family.scenario.spec.PromptSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratePromptTest {
  private static final Path DIR = Path.of("transforms/scenario-dialogue/generate");

  @Test
  void fillsEveryPlaceholder() throws Exception {
    PromptSpec en = Fixtures.spec(Fixtures.EN);
    String template = Files.readString(DIR.resolve("prompt.md"));
    String p = GeneratePrompt.render(template, en, en.scenario("CLAIM-STATUS").get(), List.of());
    assertFalse(p.contains("{{"), p);
    assertTrue(p.contains("# Harbor Mutual claims line"), "the spec's system markdown");
    assertTrue(p.contains("id: CLAIM-STATUS\ntitle: Claim stuck in review\nintent: find out why"));
    assertTrue(p.contains("tone: annoyed, has called twice already"));
    assertTrue(p.contains("Messages: exactly 10, alternating agent/client, the first by the"
        + " client."), p);
    assertTrue(p.contains("Language: en-US."));
    String continued = GeneratePrompt.render(template, en, en.scenarios().get(0),
        List.of(new Message(Role.CLIENT, "Hi, my kitchen is flooded.", null)));
    assertTrue(continued.contains("client: Hi, my kitchen is flooded."), continued);
  }

  @Test
  void outputSchemaTakesMessagesWithRolesAndText() throws Exception {
    Schema s = JsonSchemas.compile(Json.MAPPER.readTree(DIR.resolve("output.schema.json")
        .toFile()));
    assertEquals(List.of(), JsonSchemas.violations(s, Json.MAPPER.readTree(
        "{\"messages\":[{\"role\":\"agent\",\"text\":\"Hola\"},{\"role\":\"client\",\"text\":\"Hi\"}]}")));
    assertFalse(JsonSchemas.violations(s, Json.MAPPER.readTree(
        "{\"messages\":[{\"role\":\"bot\",\"text\":\"\"}]}")).isEmpty());
    assertFalse(JsonSchemas.violations(s, Json.MAPPER.readTree(
        "{\"messages\":[{\"role\":\"agent\",\"text\":\"x\",\"timestamp\":\"now\"}]}")).isEmpty());
  }
}
