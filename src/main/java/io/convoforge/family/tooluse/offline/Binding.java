package io.convoforge.family.tooluse.offline;

import io.convoforge.core.model.RejectException;
import io.convoforge.family.tooluse.gen.Naming;
import io.convoforge.family.tooluse.gen.Typos;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import io.convoforge.family.tooluse.schema.TablesSchema;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One conversation's state while its arguments are written: the key bound to each handle (and
 * to each marker: {@code ?Table}, a key no row has; {@code ~Handle}, a real key one character
 * off), the keys in use per table, the rows as the calls so far have left them (and the rows
 * they deleted), and the arguments written so far by step. Mutable; one per conversation.
 */
final class Binding {
  final Map<String, Object> bindings = new LinkedHashMap<>();
  final Map<String, Set<String>> usedKeys = new HashMap<>();
  final Map<String, Map<String, Object>> state = new HashMap<>();
  final Map<String, Map<String, Object>> gone = new HashMap<>();
  final Map<Integer, Map<String, Object>> argsOf = new HashMap<>();
  private final TablesSchema schema;
  private final ValueGenerator values;

  Binding(TablesSchema schema, ValueGenerator values) {
    this.schema = schema;
    this.values = values;
  }

  /**
   * A handle's key. {@code ?Table}: a key no row of the table has; {@code ~Handle}: the
   * handle's key one character off (both drawn once and kept in the bindings).
   */
  Object resolve(String handle) throws RejectException {
    if (handle.startsWith(PlanState.MISSING) || handle.startsWith(PlanState.TYPO)) {
      Object key = bindings.get(handle);
      if (key == null) {
        Table t = schema.table(PlanState.tableOf(handle));
        if (handle.startsWith(PlanState.MISSING)) {
          key = freshKey(t);
        } else {
          key = Typos.oneOff(bindings.get(handle.substring(1)), t.key(), values.random(),
              usedKeys.computeIfAbsent(t.name(), k -> new HashSet<>()));
          if (key == null) {
            throw new RejectException("typo_impossible", "no key of " + t.name()
                + " one character off " + bindings.get(handle.substring(1)) + " is valid");
          }
          usedKeys.get(t.name()).add(String.valueOf(key));
        }
        bindings.put(handle, key);
      }
      return key;
    }
    return bindings.get(handle);
  }

  /** A key of {@code t} no row of the conversation has. */
  Object freshKey(Table t) {
    Set<String> used = usedKeys.computeIfAbsent(t.name(), k -> new HashSet<>());
    for (int i = 0; i < 50; i++) {
      Object k = values.key(t);
      if (used.add(String.valueOf(k))) {
        return k;
      }
    }
    throw new IllegalStateException("cannot find a fresh key for " + t.name());
  }

  /** Re-draws unique values that clash with rows already in the conversation. */
  void distinctUniques(Table t, Map<String, Object> row) {
    for (Column col : t.nonKeyColumns().values()) {
      if (!col.unique() || col.isForeignKey() || row.get(col.name()) == null) {
        continue;
      }
      for (int i = 0; i < 20 && taken(t, col, row.get(col.name())); i++) {
        row.put(col.name(), values.value(t, col, values.identity()));
      }
    }
  }

  /** True when a row of {@code t} already has {@code v} in {@code col}. */
  boolean taken(Table t, Column col, Object v) {
    for (Map.Entry<String, Map<String, Object>> e : state.entrySet()) {
      if (e.getKey().startsWith(t.name() + "#") && v.equals(e.getValue().get(col.name()))) {
        return true;
      }
    }
    return false;
  }

  /** True when a row of {@code t} has the naming values of {@code row}. */
  boolean named(Table t, Map<String, Object> row) {
    for (Map.Entry<String, Map<String, Object>> e : state.entrySet()) {
      if (e.getKey().startsWith(t.name() + "#") && Naming.columns(t).stream().allMatch(
          c -> Objects.equals(row.get(c.name()), e.getValue().get(c.name())))) {
        return true;
      }
    }
    return false;
  }

  /** The rows after a call that succeeded. */
  void apply(PlanStep step, Table t, Map<String, Object> args) {
    switch (step.action()) {
      case "create": {
        Map<String, Object> row = new LinkedHashMap<>(args);
        row.put(t.primaryKey(), bindings.get(step.creates()));
        state.put(step.creates(), row);
        break;
      }
      case "update":
        state.computeIfAbsent(step.target(), k -> new LinkedHashMap<>()).putAll(args);
        break;
      case "delete":
        gone.put(step.target(), state.remove(step.target()));
        break;
      default:
        break;
    }
  }
}
