package io.convoforge.family.tooluse.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Schema;
import io.convoforge.core.input.JsonSchemas;
import io.convoforge.core.model.Json;
import io.convoforge.family.tooluse.schema.SchemaLoader;
import io.convoforge.family.tooluse.schema.Table;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.ToolSpec;
import io.convoforge.family.tooluse.schema.Tools;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueGeneratorTest {
  @Test
  void generatedRowsSatisfyEveryConstraintOfEverySchema() {
    for (String file : List.of("data/crm/tables.schema.json",
        "src/test/resources/unseen/clinic.schema.json")) {
      TablesSchema schema = SchemaLoader.load(Path.of(file));
      Map<String, ToolSpec> tools = Tools.derive(schema);
      ValueGenerator g = new ValueGenerator();
      for (Table t : schema.tables().values()) {
        Schema create = JsonSchemas.compile(tools.get("create_" + t.snakeName()).parameters());
        Schema get = JsonSchemas.compile(tools.get("get_" + t.snakeName()).parameters());
        for (int seed = 0; seed < 150; seed++) {
          g.reseed(seed);
          Map<String, Object> fixed = new HashMap<>();
          // Foreign keys get a key of the referenced table, as the arguments stage binds them.
          t.foreignKeys().forEach(fk -> fixed.put(fk.name(), g.key(schema.table(fk.references()))));
          Map<String, Object> row = g.row(t, fixed, 1.0);
          row.remove(t.primaryKey());
          assertEquals(List.of(), JsonSchemas.violations(create, Json.tree(row)),
              t.name() + " seed " + seed + " " + row);
          Object key = g.key(t);
          assertEquals(List.of(), JsonSchemas.violations(get,
              Json.tree(Map.of(t.primaryKey(), key))), t.name() + " key " + key);
        }
      }
    }
  }

  @Test
  void sameSeedSameValues() {
    TablesSchema schema = SchemaLoader.load(Path.of("data/crm/tables.schema.json"));
    ValueGenerator a = new ValueGenerator();
    ValueGenerator b = new ValueGenerator();
    b.reseed(99);
    b.row(schema.table("Contact"), Map.of(), 1.0);
    a.reseed(5);
    b.reseed(5);
    assertEquals(a.row(schema.table("Client"), Map.of(), 0.5),
        b.row(schema.table("Client"), Map.of(), 0.5));
  }

  @Test
  void emailsMatchTheRowsNames() {
    TablesSchema schema = SchemaLoader.load(Path.of("data/crm/tables.schema.json"));
    ValueGenerator g = new ValueGenerator();
    g.reseed(1);
    Map<String, Object> row = g.row(schema.table("Contact"), Map.of(), 1.0);
    String first = String.valueOf(row.get("first_name")).toLowerCase().replaceAll("[^a-z]", "");
    assertTrue(String.valueOf(row.get("email")).startsWith(first), row.toString());
  }
}
