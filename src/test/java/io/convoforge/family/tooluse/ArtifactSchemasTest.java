package io.convoforge.family.tooluse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.convoforge.TestSupport;
import io.convoforge.core.input.JsonSchemas;
import io.convoforge.core.model.Json;
import io.convoforge.core.run.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run writes conforms to the schemas published in schemas/. */
class ArtifactSchemasTest {
  @TempDir Path tmp;

  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
      SpecificationVersion.DRAFT_2020_12,
      b -> b.schemas(id -> {
        String name = id.substring(id.lastIndexOf('/') + 1);
        try {
          return Files.readString(Path.of("schemas", name));
        } catch (java.io.IOException e) {
          return null;
        }
      }));

  private static Schema schema(String name) {
    return REGISTRY.getSchema(SchemaLocation.of("https://convoforge.dev/schemas/" + name));
  }

  @Test
  void conversationsRejectedAndReportConform() throws Exception {
    // Three-step workflows cannot fit in 3 turns: some rejections to check as well.
    // embed.keep: the vectors stay in the output, so metadata.embedding is checked too.
    Path out = Job.run(new Job.Request(TestSupport.CRM, List.of("turns.min=2", "turns.max=3",
        "embed.keep=true"), 40, tmp.resolve("o"), false, List.of())).out();
    Schema conv = schema("conversation.schema.json");
    List<String> conversations = TestSupport.lines(out, "conversations*.jsonl");
    for (String line : conversations) {
      JsonNode c = Json.MAPPER.readTree(line);
      assertEquals(List.of(), JsonSchemas.violations(conv, c));
      org.junit.jupiter.api.Assertions.assertTrue(c.path("metadata").path("embedding").size() > 0,
          "embed.keep keeps the vector");
    }
    com.fasterxml.jackson.databind.node.ObjectNode broken =
        (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(conversations.get(0));
    ((com.fasterxml.jackson.databind.node.ObjectNode) broken.get("metadata"))
        .putArray("embedding").add("not a number");
    org.junit.jupiter.api.Assertions.assertFalse(
        JsonSchemas.violations(conv, broken).isEmpty(), "the schema describes the vector");
    Schema rej = schema("rejected.schema.json");
    List<String> rejected = TestSupport.lines(out, "rejected*.jsonl");
    org.junit.jupiter.api.Assertions.assertFalse(rejected.isEmpty());
    for (String line : rejected) {
      assertEquals(List.of(), JsonSchemas.violations(rej, Json.MAPPER.readTree(line)));
    }
    JsonNode report = Json.MAPPER.readTree(Files.readString(out.resolve("report.json")));
    assertEquals(List.of(), JsonSchemas.violations(schema("report.schema.json"), report));
  }
}
