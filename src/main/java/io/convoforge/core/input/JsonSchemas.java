package io.convoforge.core.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.List;

/** Draft 2020-12 validation with format assertions on (uuid, email, date... are enforced). */
public final class JsonSchemas {
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          b ->
              b.schemaRegistryConfig(
                  SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

  private JsonSchemas() {}

  public static Schema compile(JsonNode schema) {
    return REGISTRY.getSchema(schema);
  }

  /** Human-readable violations, each prefixed by the JSON path of the offending value. */
  public static List<String> violations(Schema schema, JsonNode instance) {
    List<String> out = new ArrayList<>();
    for (Error e : schema.validate(instance)) {
      String at = e.getInstanceLocation() == null ? "$" : e.getInstanceLocation().toString();
      out.add(at + ": " + e.getMessage());
    }
    return out;
  }
}
