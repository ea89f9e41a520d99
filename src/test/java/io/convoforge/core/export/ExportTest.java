package io.convoforge.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.convoforge.core.model.Json;
import io.convoforge.testing.SmallDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every format's round trip on real datasets of both families, read back by its own rules. */
class ExportTest {
  @TempDir Path tmp;

  static Exporter.Result export(Path dir, Exporter.Format f, Path out, String split) {
    return Exporter.run(new Exporter.Request(dir, f, out, split, false, false, null,
        new HfCard.Options(null, "cc-by-4.0", "en")));
  }

  static List<JsonNode> lines(Path f) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(f)) {
      out.add(Json.parse(l));
    }
    return out;
  }

  @Test
  void openAiLinesAreValidAndEveryCallIsAnswered() throws Exception {
    Path out = tmp.resolve("openai");
    Exporter.Result r = export(SmallDatasets.toolUse(40), Exporter.Format.OPENAI, out,
        "train=0.75,test=0.25");
    List<JsonNode> all = new ArrayList<>(lines(out.resolve("train.jsonl")));
    all.addAll(lines(out.resolve("test.jsonl")));
    assertEquals(40, all.size());
    assertEquals(40L, r.manifest().get("examples"));
    int calls = 0;
    for (JsonNode line : all) {
      assertEquals(List.of(), OpenAiFormat.validate(line));
      assertEquals("system", line.get("messages").get(0).get("role").asText());
      assertFalse(line.get("parallel_tool_calls").asBoolean(true));
      Set<String> offered = new java.util.HashSet<>();
      line.get("tools").forEach(t -> offered.add(t.get("function").get("name").asText()));
      Map<String, Integer> answered = new HashMap<>();
      for (JsonNode m : line.get("messages")) {
        for (JsonNode c : m.path("tool_calls")) {
          calls++;
          assertTrue(c.get("function").get("arguments").isTextual());
          assertTrue(Json.parse(c.get("function").get("arguments").asText()).isObject());
          assertTrue(offered.contains(c.get("function").get("name").asText()));
          answered.put(c.get("id").asText(), 0);
        }
        if ("tool".equals(m.get("role").asText())) {
          answered.computeIfPresent(m.get("tool_call_id").asText(), (k, v) -> v + 1);
        }
      }
      answered.forEach((id, n) -> assertEquals(1, n, id + " answered once"));
    }
    assertTrue(calls > 40, "the dataset makes tool calls");
  }

  @Test
  void theValidatorNamesWhatIsWrong() {
    JsonNode bad = Json.parse("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
        + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"a\",\"type\":\"function\","
        + "\"function\":{\"name\":\"f\",\"arguments\":{}}},{\"id\":\"a\",\"type\":\"function\","
        + "\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"zz\",\"content\":\"x\"},"
        + "{\"role\":\"narrator\",\"content\":\"x\"},{\"role\":\"assistant\"}],"
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}");
    String problems = String.join("\n", OpenAiFormat.validate(bad));
    for (String expected : List.of("arguments are not a JSON object string",
        "'a' missing or not unique", "answers no open call ('zz')", "unknown role",
        "neither content nor calls", "are not answered before it", "tools do not offer [g]")) {
      assertTrue(problems.contains(expected), expected + " in\n" + problems);
    }
  }

  @Test
  void shareGptAlternatesAndHasItsDatasetInfo() throws Exception {
    Path out = tmp.resolve("sharegpt");
    export(SmallDatasets.toolUse(40), Exporter.Format.SHAREGPT, out, null);
    List<JsonNode> all = lines(out.resolve("train.jsonl"));
    assertEquals(40, all.size());
    Set<String> seen = new java.util.TreeSet<>();
    for (JsonNode line : all) {
      JsonNode turns = line.get("conversations");
      for (int i = 0; i < turns.size(); i++) {
        String from = turns.get(i).get("from").asText();
        seen.add(from);
        assertEquals(i % 2 == 0, from.equals("human") || from.equals("observation"), from);
        if (from.equals("function_call")) {
          JsonNode call = Json.parse(turns.get(i).get("value").asText());
          assertTrue(call.has("name") && call.get("arguments").isObject());
        }
      }
      assertTrue(Json.parse(line.get("tools").asText()).isArray());
      assertTrue(line.get("system").asText().startsWith("You are"));
    }
    assertEquals(Set.of("function_call", "gpt", "human", "observation"), seen);
    JsonNode info = Json.parse(Files.readString(out.resolve("dataset_info.json")));
    JsonNode entry = info.get("crm_tool_use_train");
    assertEquals("sharegpt", entry.get("formatting").asText());
    assertEquals("train.jsonl", entry.get("file_name").asText());
    assertEquals("conversations", entry.get("columns").get("messages").asText());
  }

  @Test
  void parquetReadsBackThroughDuckDbWithTheDocumentedSchema() throws Exception {
    Path out = tmp.resolve("parquet");
    export(SmallDatasets.groundedQa(3), Exporter.Format.PARQUET, out, null);
    Path file = out.resolve("train.parquet");
    long accepted = Json.parse(Files.readString(SmallDatasets.groundedQa(3)
        .resolve("report.json"))).get("accepted").asLong();
    try (Connection c = ParquetFiles.open(); Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("SELECT count(*), min(messages[1].role),"
          + " min(len(messages)), bool_and(judge_passed), count(DISTINCT slice_persona)"
          + " FROM " + ParquetFiles.literal(file));
      rs.next();
      assertEquals(accepted, rs.getLong(1));
      assertEquals("system", rs.getString(2));
      assertTrue(rs.getInt(3) >= 5);
      assertTrue(rs.getBoolean(4));
      assertTrue(rs.getInt(5) > 1);
      rs = s.executeQuery("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "
          + ParquetFiles.literal(file) + ")");
      Map<String, String> columns = new java.util.LinkedHashMap<>();
      while (rs.next()) {
        columns.put(rs.getString(1), rs.getString(2));
      }
      assertEquals(List.of("id", "split", "recipe", "kind", "slice_heading", "slice_persona",
          "slice_style", "messages", "tools", "judge_passed", "judge_score", "judge_criteria",
          "lineage"), List.copyOf(columns.keySet()));
      assertEquals("STRUCT(\"role\" VARCHAR, \"content\" VARCHAR, \"timestamp\" VARCHAR,"
          + " tool_calls STRUCT(id VARCHAR, \"type\" VARCHAR, \"function\" STRUCT(\"name\""
          + " VARCHAR, arguments VARCHAR))[], tool_call_id VARCHAR, \"name\" VARCHAR)[]",
          columns.get("messages"));
      assertEquals("DOUBLE", columns.get("judge_score"));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void hfHasDataFilesAndACardWhoseYamlParses() throws Exception {
    Path out = tmp.resolve("hf");
    export(SmallDatasets.toolUse(40), Exporter.Format.HF, out, "train=0.8,test=0.2");
    assertTrue(Files.isRegularFile(out.resolve("data/train-00000-of-00001.parquet")));
    assertTrue(Files.isRegularFile(out.resolve("data/test-00000-of-00001.parquet")));
    String card = Files.readString(out.resolve("README.md"));
    assertTrue(card.startsWith("---\n"));
    String yaml = card.substring(4, card.indexOf("\n---\n", 4));
    Map<String, Object> h = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
    for (String k : List.of("configs", "dataset_info", "license", "language",
        "task_categories", "size_categories", "pretty_name")) {
      assertTrue(h.containsKey(k), k);
    }
    assertEquals("cc-by-4.0", h.get("license"));
    assertEquals(List.of("n<1K"), h.get("size_categories"));
    List<Map<String, Object>> files = (List<Map<String, Object>>) ((List<Map<String, Object>>)
        h.get("configs")).get(0).get("data_files");
    assertEquals(List.of("data/train-*", "data/test-*"), files.stream().map(f -> f.get("path"))
        .toList());
    List<Map<String, Object>> splits = (List<Map<String, Object>>) ((Map<String, Object>)
        h.get("dataset_info")).get("splits");
    assertEquals(40, splits.stream().mapToInt(s -> (Integer) s.get("num_examples")).sum());
    assertTrue(card.contains("## How it was made") && card.contains("## Caveats")
        && card.contains("## Gates") && card.contains("| dedup") == false);
    assertTrue(card.contains("in-memory sandbox"), "the family's caveats");
  }

  @Test
  void recordsShapedLikeTheScenarioAndCsvAgentFamiliesNeedNoCode() throws Exception {
    // scenario-dialogue: agent and client with timestamps; csv-agent: run_sql calls answered
    // by tool messages with text. The default profile turns both into valid examples.
    var scenario = new io.convoforge.core.model.Record<>("s-1", "r", "scenario-dialogue",
        Map.of("difficulty", "hard"), List.of(
            new io.convoforge.core.model.Message("agent", "Hello, how can I help?",
                "2026-01-01T10:00:00Z", null, null),
            new io.convoforge.core.model.Message("client", "My order is late.",
                "2026-01-01T10:00:20Z", null, null),
            new io.convoforge.core.model.Message("agent", "Let me check.",
                "2026-01-01T10:00:41Z", null, null)), null, null, null, Map.of());
    Chat chat = Chat.of(scenario, io.convoforge.core.family.ExportProfile.DEFAULT);
    assertEquals(List.of("assistant", "user", "assistant"), chat.messages().stream()
        .map(Chat.Msg::role).toList());
    assertEquals("2026-01-01T10:00:20Z", chat.messages().get(1).timestamp());
    assertEquals(List.of(), OpenAiFormat.validate(Json.tree(OpenAiFormat.line(chat))));
    // ShareGPT starts with a human turn: an empty one stands for the call starting.
    JsonNode share = Json.tree(ShareGptFormat.line(chat));
    assertEquals("", share.at("/conversations/0/value").asText());
    assertEquals("human gpt human gpt", String.join(" ", share.findValuesAsText("from")));
    assertTrue(ShareGptFormat.opensWithAssistant(chat));
    var csv = new io.convoforge.core.model.Record<>("c-1", "r", "csv-agent", Map.of(), List.of(
        io.convoforge.core.model.Message.of("user", "How many orders in May?"),
        new io.convoforge.core.model.Message("assistant", null, null, List.of(
            new io.convoforge.core.model.ToolCall("run_sql", Map.of("query",
                "SELECT count(*) FROM orders"), null, "call_1")), null),
        // As the csv-agent codec reads it: the observation as text, a status-only result.
        new io.convoforge.core.model.Message("tool", "[[42]]", null, null, List.of(
            io.convoforge.core.model.ToolResult.success("run_sql", null))),
        io.convoforge.core.model.Message.of("assistant", "42 orders.")), null, null, null,
        Map.of());
    JsonNode line = Json.tree(OpenAiFormat.line(Chat.of(csv,
        io.convoforge.core.family.ExportProfile.DEFAULT)));
    assertEquals(List.of(), OpenAiFormat.validate(line));
    assertEquals("run_sql", line.at("/tools/0/function/name").asText());
    assertEquals("string", line.at("/tools/0/function/parameters/properties/query/type")
        .asText());
    assertEquals("call_1", line.at("/messages/2/tool_call_id").asText());
    assertEquals("[[42]]", line.at("/messages/2/content").asText());
    Chat sql = Chat.of(csv, io.convoforge.core.family.ExportProfile.DEFAULT);
    JsonNode shared = Json.tree(ShareGptFormat.line(sql));
    assertEquals("human function_call observation gpt",
        String.join(" ", shared.findValuesAsText("from")));
  }
}
