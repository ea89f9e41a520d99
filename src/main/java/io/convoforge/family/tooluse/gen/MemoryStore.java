package io.convoforge.family.tooluse.gen;

import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.ToolSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An in-memory executor of derived tools, used by the offline writer to predict what each call
 * returns (the text must quote real keys and values). Semantics, which the sandbox database
 * shares: create assigns {@link Keys#created} and checks references and unique values; get,
 * update and delete fail with {@code not_found} on a missing key; search returns the rows whose
 * given properties all equal the given values.
 */
public final class MemoryStore {
  private final TablesSchema schema;
  private final Map<String, ToolSpec> tools;
  private final String conversationId;
  private final ValueGenerator keyGenerator;
  private final Map<String, LinkedHashMap<String, Map<String, Object>>> rows = new HashMap<>();
  private final Map<String, Integer> created = new HashMap<>();

  public MemoryStore(
      TablesSchema schema, Map<String, ToolSpec> tools, String conversationId,
      ValueGenerator keyGenerator) {
    this.schema = schema;
    this.tools = tools;
    this.conversationId = conversationId;
    this.keyGenerator = keyGenerator;
  }

  /** Seeds one row (an initial entity); "Table:key" names it. */
  public void seed(String table, Map<String, Object> row) {
    Table t = schema.table(table);
    table(table).put(keyString(row.get(t.primaryKey())), new LinkedHashMap<>(row));
  }

  public Map<String, Object> row(String table, Object key) {
    return table(table).get(keyString(key));
  }

  public ToolResult execute(ToolCall call) {
    ToolSpec spec = tools.get(call.name());
    if (spec == null) {
      return ToolResult.failure(call.name(), "unknown_tool", "No tool named " + call.name() + ".");
    }
    Table t = schema.table(spec.table());
    Map<String, Object> args = call.arguments();
    String pk = t.primaryKey();
    switch (spec.action()) {
      case "create": {
        ToolResult bad = checkRow(call.name(), t, args, null);
        if (bad != null) {
          return bad;
        }
        int ordinal = created.merge(t.name(), 1, Integer::sum) - 1;
        Object key = Keys.created(keyGenerator, t, conversationId, ordinal);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(pk, key);
        row.putAll(args);
        table(t.name()).put(keyString(key), row);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(pk, key);
        return ToolResult.success(call.name(), out);
      }
      case "get": {
        Map<String, Object> row = row(t.name(), args.get(pk));
        return row == null ? notFound(call.name(), t, args.get(pk))
            : ToolResult.success(call.name(), new LinkedHashMap<>(row));
      }
      case "search": {
        List<Map<String, Object>> found = new ArrayList<>();
        for (Map<String, Object> row : table(t.name()).values()) {
          boolean all = true;
          for (Map.Entry<String, Object> e : args.entrySet()) {
            if (!same(row.get(e.getKey()), e.getValue())) {
              all = false;
              break;
            }
          }
          if (all) {
            found.add(new LinkedHashMap<>(row));
          }
        }
        return ToolResult.success(call.name(), Map.of("results", found));
      }
      case "update": {
        Map<String, Object> row = row(t.name(), args.get(pk));
        if (row == null) {
          return notFound(call.name(), t, args.get(pk));
        }
        Map<String, Object> changes = new LinkedHashMap<>(args);
        changes.remove(pk);
        ToolResult bad = checkRow(call.name(), t, changes, args.get(pk));
        if (bad != null) {
          return bad;
        }
        row.putAll(changes);
        return ToolResult.success(call.name(), new LinkedHashMap<>(row));
      }
      case "delete": {
        Map<String, Object> row = table(t.name()).remove(keyString(args.get(pk)));
        if (row == null) {
          return notFound(call.name(), t, args.get(pk));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(pk, args.get(pk));
        out.put("deleted", true);
        return ToolResult.success(call.name(), out);
      }
      default:
        throw new IllegalStateException(spec.action());
    }
  }

  private ToolResult checkRow(String tool, Table t, Map<String, Object> values, Object selfKey) {
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Column c = t.column(e.getKey());
      if (c == null) {
        continue;
      }
      if (c.isForeignKey() && e.getValue() != null
          && row(c.references(), e.getValue()) == null) {
        return ToolResult.failure(tool, "invalid_reference",
            capitalize(schema.table(c.references()).label()) + " " + e.getValue()
                + " referenced by "
                + c.name() + " does not exist.");
      }
      if (c.unique() && e.getValue() != null) {
        for (Map.Entry<String, Map<String, Object>> other : table(t.name()).entrySet()) {
          if (selfKey != null && other.getKey().equals(keyString(selfKey))) {
            continue;
          }
          if (same(other.getValue().get(c.name()), e.getValue())) {
            return ToolResult.failure(tool, "conflict",
                "A " + t.label() + " with " + c.name() + " " + e.getValue()
                    + " already exists.");
          }
        }
      }
    }
    return null;
  }

  private static ToolResult notFound(String tool, Table t, Object key) {
    return ToolResult.failure(tool, "not_found", "No " + t.label() + " with " + t.primaryKey()
        + " " + key + ".");
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private LinkedHashMap<String, Map<String, Object>> table(String name) {
    return rows.computeIfAbsent(name, k -> new LinkedHashMap<>());
  }

  static String keyString(Object key) {
    return key instanceof Number ? String.valueOf(((Number) key).longValue()) : String.valueOf(key);
  }

  static boolean same(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) {
      return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }
    return Objects.equals(a, b);
  }
}
