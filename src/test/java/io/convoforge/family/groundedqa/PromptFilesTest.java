package io.convoforge.family.groundedqa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import io.convoforge.core.input.JsonSchemas;
import io.convoforge.core.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The LLM prompt files: only documented variables, answer schemas that accept what they should. */
class PromptFilesTest {
  private static final Path DIR = Path.of("transforms/grounded-qa");
  private static final Pattern VAR = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");
  private static final Map<String, Set<String>> VARIABLES = Map.of(
      "extract_qa", Set.of("heading", "chunk", "n", "as_of"),
      "converse", Set.of("question", "answer", "evidence", "heading", "persona", "style",
          "min_messages", "max_messages"),
      "judge", Set.of("rubric", "dialogue", "question", "answer", "evidence", "heading"));

  private static Schema schema(String stage) throws Exception {
    return JsonSchemas.compile(Json.MAPPER.readTree(
        Files.readString(DIR.resolve(stage).resolve("output.schema.json"))));
  }

  private static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s);
  }

  @Test
  void promptsUseOnlyTheirVariablesAndAllOfThem() throws Exception {
    for (Map.Entry<String, Set<String>> stage : VARIABLES.entrySet()) {
      Path dir = DIR.resolve(stage.getKey());
      assertFalse(Files.readString(dir.resolve("system.md")).isBlank());
      Set<String> used = new TreeSet<>();
      Matcher m = VAR.matcher(Files.readString(dir.resolve("prompt.md")));
      while (m.find()) {
        used.add(m.group(1));
      }
      assertEquals(new TreeSet<>(stage.getValue()), used, stage.getKey());
    }
    assertFalse(Files.exists(DIR.resolve("judge/output.schema.json")),
        "the judge's schema is generated from the rubric names");
  }

  @Test
  void answerSchemasAcceptTheContractAndRejectTheRest() throws Exception {
    Schema extract = schema("extract_qa");
    assertEquals(0, JsonSchemas.violations(extract, json(
        "{\"pairs\":[{\"question\":\"Q?\",\"answer\":\"A.\",\"evidence\":\"E.\"}]}")).size());
    assertEquals(0, JsonSchemas.violations(extract, json("{\"pairs\":[]}")).size());
    assertFalse(JsonSchemas.violations(extract, json(
        "{\"pairs\":[{\"question\":\"Q?\",\"answer\":\"A.\"}]}")).isEmpty(), "evidence required");
    Schema converse = schema("converse");
    assertEquals(0, JsonSchemas.violations(converse, json(
        "{\"messages\":[{\"role\":\"user\",\"text\":\"Hi\"},"
            + "{\"role\":\"assistant\",\"text\":\"Hello\"}]}")).size());
    assertFalse(JsonSchemas.violations(converse, json(
        "{\"messages\":[{\"role\":\"system\",\"text\":\"x\"}]}")).isEmpty());
    assertFalse(JsonSchemas.violations(converse, json(
        "{\"messages\":[{\"role\":\"user\",\"text\":\"\"}]}")).isEmpty());
  }

  @Test
  void thePersonasSchemaIsOnTheClasspath() {
    assertTrue(Personas.class.getResource(Personas.SCHEMA_RESOURCE) != null);
    assertTrue(PhraseBank.class.getResource(PhraseBank.DEFAULT_RESOURCE) != null);
  }
}
