package io.convoforge.family.tooluse.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.input.InputException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaLoaderTest {
  private static final String OK_TABLE = "{\"type\":\"object\",\"x-primary-key\":\"id\","
      + "\"properties\":{\"id\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"}},"
      + "\"required\":[\"id\",\"name\"]}";

  @Test
  void loadsTheShippedCrm() {
    TablesSchema s = SchemaLoader.load(Path.of("data/crm/tables.schema.json"));
    assertTrue(s.tables().size() >= 6);
    Table opp = s.table("Opportunity");
    assertEquals("opportunity_id", opp.primaryKey());
    assertEquals("Client", opp.column("client_id").references());
    assertTrue(s.table("Client").column("name").unique());
  }

  private static TablesSchema withProperty(String property) {
    return SchemaLoader.parse("s.json", "{\"$defs\":{\"Account\":{\"type\":\"object\","
        + "\"x-primary-key\":\"id\",\"properties\":{\"id\":{\"type\":\"string\"},"
        + "\"plan\":" + property + "},\"required\":[\"id\",\"plan\"]}}}");
  }

  @Test
  void anEnumWithoutATypeGetsTheTypeOfItsValues() {
    assertEquals("string", withProperty("{\"enum\":[\"free\",\"pro\"]}")
        .table("Account").column("plan").type());
    assertEquals("integer", withProperty("{\"enum\":[1,2,3]}").table("Account")
        .column("plan").type());
    assertEquals("number", withProperty("{\"enum\":[1,2.5]}").table("Account")
        .column("plan").type());
    assertEquals("boolean", withProperty("{\"const\":true}").table("Account")
        .column("plan").type());
    assertEquals(List.of("free", "pro"), withProperty("{\"enum\":[\"free\",\"pro\"]}")
        .table("Account").column("plan").enumValues());
  }

  @Test
  void mixedOrUnsupportedEnumValuesAreNamedAndATypelessPropertyIsExplained() {
    InputException mixed = assertThrows(InputException.class,
        () -> withProperty("{\"enum\":[\"free\",2]}"));
    assertTrue(mixed.getMessage().contains("s.json, field $defs.Account.properties.plan.enum:"
        + " values of [integer, string] mix types"), mixed.getMessage());
    assertEquals(1, mixed.problems().size(), "one problem, not one per value");
    InputException nulls = assertThrows(InputException.class,
        () -> withProperty("{\"enum\":[null]}"));
    assertTrue(nulls.getMessage().contains("values of [null] are not supported"),
        nulls.getMessage());
    InputException none = assertThrows(InputException.class,
        () -> withProperty("{\"description\":\"the plan\"}"));
    assertTrue(none.getMessage().contains("needs a 'type'"), none.getMessage());
  }

  @Test
  void malformedJsonNamesFileLineAndColumn() {
    InputException e = assertThrows(InputException.class,
        () -> SchemaLoader.parse("t.json", "{\n  \"$defs\": {\n    \"A\": {,}\n}"));
    assertTrue(e.getMessage().startsWith("t.json, line 3, column"), e.getMessage());
    assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
  }

  @Test
  void emptyFileIsNamed() {
    InputException e = assertThrows(InputException.class, () -> SchemaLoader.parse("e.json", " "));
    assertTrue(e.getMessage().contains("e.json: the file is empty"), e.getMessage());
  }

  @Test
  void metaSchemaViolationNamesTheField() {
    String doc = "{\"$defs\":{\"Thing\":{\"type\":\"object\",\"x-primary-key\":\"id\","
        + "\"properties\":{\"id\":{\"type\":\"text\"}}}}}";
    InputException e = assertThrows(InputException.class, () -> SchemaLoader.parse("m.json", doc));
    assertTrue(e.getMessage().contains("m.json, field /$defs/Thing/properties/id/type"),
        e.getMessage());
  }

  @Test
  void lowerCaseTableNameBreaksTheMetaSchema() {
    String doc = "{\"$defs\":{\"thing\":" + OK_TABLE + "}}";
    InputException e = assertThrows(InputException.class, () -> SchemaLoader.parse("m.json", doc));
    assertTrue(e.getMessage().contains("m.json, field"), e.getMessage());
  }

  @Test
  void unknownReferenceAndKeyAreNamed() {
    String doc = "{\"$defs\":{\"A\":{\"type\":\"object\",\"x-primary-key\":\"nope\","
        + "\"properties\":{\"id\":{\"type\":\"string\"},"
        + "\"b_id\":{\"type\":\"string\",\"x-references\":\"B\"}}}}}";
    InputException e = assertThrows(InputException.class, () -> SchemaLoader.parse("r.json", doc));
    assertTrue(e.getMessage().contains("field $defs.A.x-primary-key"), e.getMessage());
    assertTrue(e.getMessage().contains("field $defs.A.properties.b_id.x-references: references"
        + " unknown table 'B'"), e.getMessage());
    assertEquals(2, e.problems().size());
  }

  @Test
  void requiredReferenceCycleIsRefused() {
    String doc = "{\"$defs\":{"
        + "\"A\":{\"type\":\"object\",\"x-primary-key\":\"id\",\"required\":[\"id\",\"b\"],"
        + "\"properties\":{\"id\":{\"type\":\"string\"},\"b\":{\"type\":\"string\","
        + "\"x-references\":\"B\"}}},"
        + "\"B\":{\"type\":\"object\",\"x-primary-key\":\"id\",\"required\":[\"id\",\"a\"],"
        + "\"properties\":{\"id\":{\"type\":\"string\"},\"a\":{\"type\":\"string\","
        + "\"x-references\":\"A\"}}}}}";
    InputException e = assertThrows(InputException.class, () -> SchemaLoader.parse("c.json", doc));
    assertTrue(e.getMessage().contains("cycle of required foreign keys"), e.getMessage());
  }

  @Test
  void enumValueOfTheWrongTypeIsNamed() {
    String doc = "{\"$defs\":{\"A\":{\"type\":\"object\",\"x-primary-key\":\"id\","
        + "\"properties\":{\"id\":{\"type\":\"string\"},"
        + "\"n\":{\"type\":\"integer\",\"enum\":[1,\"two\"]}}}}}";
    InputException e = assertThrows(InputException.class, () -> SchemaLoader.parse("x.json", doc));
    assertTrue(e.getMessage().contains("field $defs.A.properties.n.enum: value \"two\""),
        e.getMessage());
  }
}
