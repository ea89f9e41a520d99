package io.convoforge.family.tooluse.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import io.convoforge.core.input.InputException;
import io.convoforge.core.input.InputFiles;
import io.convoforge.core.input.JsonSchemas;
import io.convoforge.core.input.Problem;
import io.convoforge.core.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a tables schema: parses the JSON, validates it against {@code schemas/tables.schema.json},
 * then checks what a meta-schema cannot (keys and references that name real properties and
 * tables, enum values of the declared type, patterns that compile). Every problem names the file
 * and the field.
 */
public final class SchemaLoader {
  public static final String META_SCHEMA_RESOURCE = "/schemas/tables.schema.json";
  private static volatile Schema metaSchema;

  private SchemaLoader() {}

  public static TablesSchema load(Path path) {
    String file = path.toString();
    String text = InputFiles.read(path);
    return parse(file, text);
  }

  public static TablesSchema parse(String file, String text) {
    JsonNode doc = InputFiles.parseJson(file, text, "a JSON Schema document with table definitions in $defs");
    List<Problem> problems = new ArrayList<>();
    for (Error e : metaSchema().validate(doc)) {
      String at = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
      problems.add(new Problem(file, "field " + at, e.getMessage()));
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    LinkedHashMap<String, Table> tables = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = doc.get("$defs").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      tables.put(e.getKey(), table(file, e.getKey(), e.getValue(), problems));
    }
    checkReferences(file, tables, problems);
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    return new TablesSchema(file, tables);
  }

  private static Table table(String file, String name, JsonNode node, List<Problem> problems) {
    String at = "$defs." + name;
    LinkedHashMap<String, Column> columns = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = node.get("properties").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> p = it.next();
      columns.put(p.getKey(), column(file, at + ".properties." + p.getKey(), p.getKey(),
          p.getValue(), problems));
    }
    String key = node.get("x-primary-key").asText();
    if (!columns.containsKey(key)) {
      problems.add(new Problem(file, "field " + at + ".x-primary-key",
          "names '" + key + "', which is not a property of " + name
              + "; expected one of " + columns.keySet()));
    }
    Set<String> required = new LinkedHashSet<>();
    if (node.has("required")) {
      for (JsonNode r : node.get("required")) {
        if (!columns.containsKey(r.asText())) {
          problems.add(new Problem(file, "field " + at + ".required",
              "lists '" + r.asText() + "', which is not a property of " + name));
        }
        required.add(r.asText());
      }
    }
    String description = node.has("description") ? node.get("description").asText() : null;
    return new Table(name, description, key, columns, Set.copyOf(required));
  }

  private static Column column(
      String file, String at, String name, JsonNode p, List<Problem> problems) {
    JsonNode values = p.has("enum") ? p.get("enum")
        : p.has("const") ? Json.MAPPER.createArrayNode().add(p.get("const")) : null;
    String valuesAt = "field " + at + (p.has("enum") ? ".enum" : ".const");
    String type = p.has("type") ? p.get("type").asText() : inferType(values, valuesAt, file,
        problems);
    boolean typed = type != null;
    if (!typed) {
      if (values == null) {
        problems.add(new Problem(file, "field " + at, "needs a 'type' (string, integer, number"
            + " or boolean), or an 'enum' or 'const' whose values give it"));
      }
      type = "string";
    }
    List<Object> enumValues = null;
    if (values != null) {
      enumValues = new ArrayList<>();
      for (JsonNode v : values) {
        if (typed && !matchesType(type, v)) {
          problems.add(new Problem(file, valuesAt,
              "value " + v + " is not of the property's type '" + type + "'"));
        }
        enumValues.add(Json.MAPPER.convertValue(v, Object.class));
      }
    }
    String format = text(p, "format");
    if (format != null && !"string".equals(type)) {
      problems.add(new Problem(file, "field " + at + ".format",
          "format '" + format + "' needs type string, got '" + type + "'"));
    }
    String pattern = text(p, "pattern");
    if (pattern != null) {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        problems.add(new Problem(file, "field " + at + ".pattern",
            "not a valid regular expression: " + e.getDescription()));
      }
    }
    Double min = p.has("minimum") ? p.get("minimum").asDouble() : null;
    Double max = p.has("maximum") ? p.get("maximum").asDouble() : null;
    if (min != null && max != null && min > max) {
      problems.add(new Problem(file, "field " + at, "minimum " + min + " exceeds maximum " + max));
    }
    Integer minLen = p.has("minLength") ? p.get("minLength").asInt() : null;
    Integer maxLen = p.has("maxLength") ? p.get("maxLength").asInt() : null;
    if (minLen != null && maxLen != null && minLen > maxLen) {
      problems.add(new Problem(file, "field " + at,
          "minLength " + minLen + " exceeds maxLength " + maxLen));
    }
    return new Column(name, type, enumValues, format, pattern, min, max, minLen, maxLen,
        text(p, "description"), text(p, "x-references"),
        p.has("x-unique") && p.get("x-unique").asBoolean());
  }

  /**
   * The type an enum's (or const's) values give a property without one, as JSON Schema reads
   * them: all strings, all integers, numbers (integers and decimals), or all booleans. Null and
   * mixed values are named as problems (a column has one type here), and give null.
   */
  static String inferType(JsonNode values, String at, String file, List<Problem> problems) {
    if (values == null || values.isEmpty()) {
      return null;
    }
    Set<String> kinds = new java.util.TreeSet<>();
    for (JsonNode v : values) {
      kinds.add(v.isTextual() ? "string" : v.isIntegralNumber() ? "integer"
          : v.isNumber() ? "number" : v.isBoolean() ? "boolean" : v.getNodeType().name()
              .toLowerCase(java.util.Locale.ROOT));
    }
    if (kinds.equals(Set.of("integer", "number"))) {
      return "number";
    }
    if (kinds.size() == 1 && Set.of("string", "integer", "number", "boolean")
        .contains(kinds.iterator().next())) {
      return kinds.iterator().next();
    }
    problems.add(new Problem(file, at, "values of " + kinds + (kinds.size() > 1 ? " mix types"
        : " are not supported") + "; a column holds one of string, integer, number or boolean:"
        + " give the property a 'type' and values of that type"));
    return null;
  }

  private static void checkReferences(
      String file, Map<String, Table> tables, List<Problem> problems) {
    for (Table t : tables.values()) {
      for (Column c : t.columns().values()) {
        if (!c.isForeignKey()) {
          continue;
        }
        String at = "field $defs." + t.name() + ".properties." + c.name() + ".x-references";
        Table target = tables.get(c.references());
        if (target == null) {
          problems.add(new Problem(file, at, "references unknown table '" + c.references()
              + "'; expected one of " + tables.keySet()));
        } else if (target.key() != null && !target.key().type().equals(c.type())) {
          problems.add(new Problem(file, at, "is of type '" + c.type() + "' but "
              + target.name() + "." + target.primaryKey() + " is '" + target.key().type() + "'"));
        }
      }
    }
    // A cycle of required references could never be seeded; say so up front.
    for (Table t : tables.values()) {
      if (requiredCycle(t.name(), t.name(), tables, new HashSet<>())) {
        problems.add(new Problem(file, "field $defs." + t.name(),
            "is part of a cycle of required foreign keys; make one of them optional"));
      }
    }
  }

  private static boolean requiredCycle(
      String start, String at, Map<String, Table> tables, Set<String> seen) {
    Table t = tables.get(at);
    if (t == null || !seen.add(at)) {
      return false;
    }
    for (Column c : t.foreignKeys()) {
      if (!t.isRequired(c.name()) || !tables.containsKey(c.references())) {
        continue;
      }
      if (c.references().equals(start) || requiredCycle(start, c.references(), tables, seen)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesType(String type, JsonNode v) {
    switch (type) {
      case "string":
        return v.isTextual();
      case "integer":
        return v.isIntegralNumber();
      case "number":
        return v.isNumber();
      case "boolean":
        return v.isBoolean();
      default:
        return false;
    }
  }

  private static String text(JsonNode n, String field) {
    return n.has(field) ? n.get(field).asText() : null;
  }

  private static Schema metaSchema() {
    if (metaSchema == null) {
      try (InputStream in = SchemaLoader.class.getResourceAsStream(META_SCHEMA_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + META_SCHEMA_RESOURCE);
        }
        metaSchema = JsonSchemas.compile(Json.MAPPER.readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return metaSchema;
  }
}
