package io.convoforge.family.tooluse.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolsTest {
  private static final String DOC = "{\"$defs\":{\"OpportunityLineItem\":{\"type\":\"object\","
      + "\"x-primary-key\":\"line_id\",\"required\":[\"line_id\",\"qty\"],"
      + "\"properties\":{\"line_id\":{\"type\":\"integer\"},"
      + "\"qty\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":9},"
      + "\"kind\":{\"type\":\"string\",\"enum\":[\"a\",\"b\"]},"
      + "\"code\":{\"type\":\"string\",\"pattern\":\"^X[0-9]{2}$\",\"description\":\"A code.\"}}}}}";

  private final Map<String, ToolSpec> tools = Tools.derive(SchemaLoader.parse("t.json", DOC));

  @Test
  void derivesFiveSnakeCaseToolsPerTable() {
    assertEquals(List.of("create_opportunity_line_item", "get_opportunity_line_item",
        "search_opportunity_line_item", "update_opportunity_line_item",
        "delete_opportunity_line_item"), new ArrayList<>(tools.keySet()));
  }

  @Test
  void createHasEveryPropertyButTheKeyAndRequiredMinusKey() {
    JsonNode p = tools.get("create_opportunity_line_item").parameters();
    assertFalse(p.get("properties").has("line_id"));
    assertEquals(3, p.get("properties").size());
    assertEquals("[\"qty\"]", p.get("required").toString());
    assertEquals(1, p.at("/properties/qty/minimum").asInt());
    assertEquals("^X[0-9]{2}$", p.at("/properties/code/pattern").asText());
    assertEquals("[\"a\",\"b\"]", p.at("/properties/kind/enum").toString());
    assertFalse(p.get("additionalProperties").asBoolean());
  }

  @Test
  void getAndDeleteTakeOnlyTheKey() {
    for (String t : List.of("get_opportunity_line_item", "delete_opportunity_line_item")) {
      JsonNode p = tools.get(t).parameters();
      assertEquals(1, p.get("properties").size());
      assertEquals("[\"line_id\"]", p.get("required").toString());
    }
  }

  @Test
  void searchNeedsAtLeastOnePropertyAndUpdateTheKeyPlusOne() {
    JsonNode s = tools.get("search_opportunity_line_item").parameters();
    assertEquals(1, s.get("minProperties").asInt());
    assertFalse(s.has("required"));
    JsonNode u = tools.get("update_opportunity_line_item").parameters();
    assertEquals("[\"line_id\"]", u.get("required").toString());
    assertEquals(2, u.get("minProperties").asInt());
  }

  @Test
  void openAiFormatHasTypeFunctionNameDescriptionParameters() {
    JsonNode out = Tools.openAiFormat(tools.values());
    assertEquals(5, out.size());
    JsonNode first = out.get(0);
    assertEquals("function", first.get("type").asText());
    assertEquals("create_opportunity_line_item", first.at("/function/name").asText());
    assertTrue(first.at("/function/description").asText().startsWith("Create a new"));
    assertEquals("object", first.at("/function/parameters/type").asText());
  }
}
