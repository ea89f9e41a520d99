package io.convoforge.family.tooluse.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives the five tools of every table: {@code create_t} (all properties but the key; required =
 * the table's required minus the key), {@code get_t} (the key), {@code search_t} (any non-empty
 * subset of properties), {@code update_t} (the key plus at least one other property) and
 * {@code delete_t} (the key). Argument schemas copy the property constraints and forbid unknown
 * properties, so a schema-valid call is exactly one the sandbox can execute.
 */
public final class Tools {
  public static final List<String> ACTIONS = List.of("create", "get", "search", "update", "delete");
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Tools() {}

  /** Tool name to spec, in table order then action order. */
  public static Map<String, ToolSpec> derive(TablesSchema schema) {
    Map<String, ToolSpec> out = new LinkedHashMap<>();
    for (Table t : schema.tables().values()) {
      for (String action : ACTIONS) {
        ToolSpec spec = derive(t, action);
        out.put(spec.name(), spec);
      }
    }
    return out;
  }

  static ToolSpec derive(Table t, String action) {
    String name = action + "_" + t.snakeName();
    ObjectNode params = F.objectNode();
    params.put("type", "object");
    ObjectNode props = params.putObject("properties");
    ArrayNode required = F.arrayNode();
    String label = t.label();
    String desc;
    switch (action) {
      case "create":
        for (Column c : t.nonKeyColumns().values()) {
          props.set(c.name(), property(c));
          if (t.isRequired(c.name())) {
            required.add(c.name());
          }
        }
        desc = "Create a new " + label + " record and return its " + t.primaryKey() + ".";
        break;
      case "get":
        props.set(t.primaryKey(), property(t.key()));
        required.add(t.primaryKey());
        desc = "Get one " + label + " by " + t.primaryKey() + ".";
        break;
      case "search":
        for (Column c : t.columns().values()) {
          props.set(c.name(), property(c));
        }
        params.put("minProperties", 1);
        desc = "Search " + label + " records whose properties equal all the given values.";
        break;
      case "update":
        for (Column c : t.columns().values()) {
          props.set(c.name(), property(c));
        }
        required.add(t.primaryKey());
        params.put("minProperties", 2);
        desc = "Update the given properties of the " + label + " identified by "
            + t.primaryKey() + ".";
        break;
      case "delete":
        props.set(t.primaryKey(), property(t.key()));
        required.add(t.primaryKey());
        desc = "Delete the " + label + " identified by " + t.primaryKey() + ".";
        break;
      default:
        throw new IllegalArgumentException(action);
    }
    if (t.description() != null) {
      desc = desc + " " + t.name() + ": " + t.description();
    }
    if (!required.isEmpty()) {
      params.set("required", required);
    }
    params.put("additionalProperties", false);
    return new ToolSpec(name, action, t.name(), desc, params);
  }

  private static ObjectNode property(Column c) {
    ObjectNode p = F.objectNode();
    p.put("type", c.type());
    String description = c.description();
    if (c.isForeignKey()) {
      String ref = "References " + c.references() + ".";
      description = description == null ? ref : description + " " + ref;
    }
    if (description != null) {
      p.put("description", description);
    }
    if (c.enumValues() != null) {
      p.set("enum", enumNode(c));
    }
    if (c.format() != null) {
      p.put("format", c.format());
    }
    if (c.pattern() != null) {
      p.put("pattern", c.pattern());
    }
    if (c.minimum() != null) {
      putNumber(p, "minimum", c.minimum(), c.type());
    }
    if (c.maximum() != null) {
      putNumber(p, "maximum", c.maximum(), c.type());
    }
    if (c.minLength() != null) {
      p.put("minLength", c.minLength());
    }
    if (c.maxLength() != null) {
      p.put("maxLength", c.maxLength());
    }
    return p;
  }

  private static ArrayNode enumNode(Column c) {
    ArrayNode e = F.arrayNode();
    for (Object v : c.enumValues()) {
      if (v instanceof Boolean) {
        e.add((Boolean) v);
      } else if (v instanceof Integer || v instanceof Long) {
        e.add(((Number) v).longValue());
      } else if (v instanceof Number) {
        e.add(((Number) v).doubleValue());
      } else {
        e.add(String.valueOf(v));
      }
    }
    return e;
  }

  private static void putNumber(ObjectNode p, String field, double v, String type) {
    if ("integer".equals(type) || v == Math.rint(v)) {
      p.put(field, (long) v);
    } else {
      p.put(field, v);
    }
  }

  /** OpenAI's {@code tools} format: [{"type":"function","function":{name,description,parameters}}]. */
  public static ArrayNode openAiFormat(Collection<ToolSpec> tools) {
    ArrayNode out = F.arrayNode();
    for (ToolSpec t : tools) {
      ObjectNode fn = F.objectNode();
      fn.put("name", t.name());
      fn.put("description", t.description());
      fn.set("parameters", t.parameters());
      ObjectNode tool = out.addObject();
      tool.put("type", "function");
      tool.set("function", fn);
    }
    return out;
  }
}
