package io.convoforge.family.csvagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.convoforge.core.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuestionSchemaTest {
  private static Schema schema() throws Exception {
    JsonNode s = Json.MAPPER.readTree(Files.readString(Path.of("schemas/question.schema.json")));
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(s);
  }

  @Test
  void everyGeneratedQuestionMatchesTheSchema() throws Exception {
    Schema schema = schema();
    for (String name : Fixtures.NAMES) {
      for (Question q : QuestionGenerator.synthetic(Fixtures.table(name), Fixtures.profile(name),
          25, 5L)) {
        List<?> errors = schema.validate(Json.tree(q));
        assertTrue(errors.isEmpty(), Json.write(q) + "\n" + errors);
        assertEquals(Json.write(q), Json.write(Json.read(Json.write(q), Question.class)),
            "questions survive a JSONL round trip");
      }
    }
    Question llm = new Question("q_0123456789abcdef", new Question.Dataset("x.csv",
        "0".repeat(64)), "Which month sold most?", "Group by month.", Difficulty.MEDIUM,
        Question.LLM, null, null, null, null);
    assertTrue(schema.validate(Json.tree(llm)).isEmpty());
  }

  @Test
  void programsMissingWhatTheirOpNeedsAreRejected() throws Exception {
    Schema schema = schema();
    Question q = QuestionGenerator.synthetic(Fixtures.table("orders.csv"),
        Fixtures.profile("orders.csv"), 10, 5L).stream()
        .filter(x -> x.program().op().equals("top_n")).findFirst().orElseThrow();
    ObjectNode json = (ObjectNode) Json.tree(q);
    ((ObjectNode) json.get("program")).remove("n");
    assertFalse(schema.validate(json).isEmpty());
    ((ObjectNode) json.get("program")).put("op", "mode");
    assertFalse(schema.validate(json).isEmpty());
  }
}
