package io.convoforge.family.tooluse.offline;

import io.convoforge.core.model.RejectException;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.gen.Keys;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Plan;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Binds a plan's handles to keys and writes values: full seed rows for {@code initial_entities}
 * and the arguments of every executed step. Keys of created rows come from {@link Keys#created},
 * the same function the sandbox uses, so later steps can reference them. Values honour every
 * constraint of the column; searches use values the target row really has; updates change one or
 * two properties to new values.
 */
final class OfflineArguments {
  private final ToolUseContext ctx;
  private final ValueGenerator values;
  private final ValueGenerator keys = new ValueGenerator();

  OfflineArguments(ToolUseContext ctx, ValueGenerator values) {
    this.ctx = ctx;
    this.values = values;
  }

  Conversation bind(Conversation c) throws RejectException {
    Plan plan = c.plan();
    Map<String, Object> bindings = new LinkedHashMap<>();
    Map<String, Set<String>> usedKeys = new HashMap<>();
    Map<String, Map<String, Object>> state = new HashMap<>();
    Map<String, Map<String, Object>> entities = new TreeMap<>();

    for (Map.Entry<String, String> seed : plan.seeds().entrySet()) {
      Table t = ctx.schema().table(seed.getValue());
      bindings.put(seed.getKey(), freshKey(t, usedKeys));
    }
    // Created keys are known before execution: they depend only on the id and ordinals.
    Map<String, Integer> ordinals = new HashMap<>();
    for (PlanStep step : plan.steps()) {
      if (step.creates() != null && step.failure() == null) {
        Table t = ctx.schema().table(step.table());
        int ord = ordinals.merge(t.name(), 1, Integer::sum) - 1;
        Object key = Keys.created(keys, t, c.id(), ord);
        bindings.put(step.creates(), key);
        usedKeys.computeIfAbsent(t.name(), k -> new HashSet<>()).add(String.valueOf(key));
      }
    }
    for (Map.Entry<String, String> seed : plan.seeds().entrySet()) {
      Table t = ctx.schema().table(seed.getValue());
      Map<String, Object> fixed = new LinkedHashMap<>();
      fixed.put(t.primaryKey(), bindings.get(seed.getKey()));
      plan.seedRefs().getOrDefault(seed.getKey(), Map.of())
          .forEach((col, handle) -> fixed.put(col, bindings.get(handle)));
      Map<String, Object> row = values.row(t, fixed, 0.7);
      for (Column col : t.nonKeyColumns().values()) {
        // Unique values are always present on seeds: a conflict step may need to copy one.
        if (col.unique() && !col.isForeignKey() && !row.containsKey(col.name())) {
          row.put(col.name(), values.value(t, col, values.identity()));
        }
      }
      distinctUniques(t, row, state);
      state.put(seed.getKey(), row);
      entities.put(t.name() + ":" + bindings.get(seed.getKey()), row);
    }

    List<PlanStep> steps = new ArrayList<>();
    for (PlanStep step : plan.steps()) {
      boolean executed = step.failure() != null || steps.stream().noneMatch(PlanStep::failing);
      if (!executed) {
        steps.add(step);
        continue;
      }
      Table t = ctx.schema().table(step.table());
      // Validated against the tool schema by the stage, whatever the backend.
      Map<String, Object> args = arguments(step, t, bindings, state, usedKeys);
      steps.add(step.withArguments(args));
      if (step.failure() == null) {
        apply(step, t, args, bindings, state);
      }
    }
    return c.withPlan(new Plan(steps, plan.seeds(), plan.seedRefs(), bindings))
        .withInitialEntities(entities);
  }

  private Map<String, Object> arguments(
      PlanStep step, Table t, Map<String, Object> bindings,
      Map<String, Map<String, Object>> state, Map<String, Set<String>> usedKeys) {
    String pk = t.primaryKey();
    Map<String, Object> args = new LinkedHashMap<>();
    switch (step.action()) {
      case "create": {
        Map<String, Object> fixed = new LinkedHashMap<>();
        for (Map.Entry<String, String> r : step.refs().entrySet()) {
          if (!r.getKey().startsWith("=")) {
            fixed.put(r.getKey(), resolve(r.getValue(), bindings, usedKeys));
          }
        }
        Map<String, Object> row = values.row(t, fixed, 0.5);
        distinctUniques(t, row, state);
        row.remove(pk);
        args.putAll(row);
        copyConflicts(step, args, state);
        break;
      }
      case "get":
      case "delete":
        args.put(pk, resolve(step.target(), bindings, usedKeys));
        break;
      case "search": {
        Map<String, Object> row = state.get(step.target());
        List<String> candidates = new ArrayList<>();
        for (Column col : t.columns().values()) {
          if (!col.name().equals(pk) && row.get(col.name()) != null
              && (col.isString() || col.enumValues() != null) && !col.isForeignKey()) {
            candidates.add(col.name());
          }
        }
        if (candidates.isEmpty()) {
          args.put(pk, row.get(pk));
        } else {
          for (String col : values.pick(candidates, 1 + values.random().nextInt(
              Math.min(2, candidates.size())))) {
            args.put(col, row.get(col));
          }
        }
        break;
      }
      case "update": {
        args.put(pk, resolve(step.target(), bindings, usedKeys));
        Map<String, Object> current = state.getOrDefault(step.target(), Map.of());
        List<Column> editable = new ArrayList<>();
        for (Column col : t.nonKeyColumns().values()) {
          if (!col.isForeignKey()) {
            editable.add(col);
          }
        }
        ValueGenerator.Identity id = values.identity();
        for (Column col : values.pick(editable, Math.min(editable.size(),
            1 + values.random().nextInt(2)))) {
          Object v = values.value(t, col, id);
          for (int i = 0; i < 5 && v.equals(current.get(col.name())); i++) {
            v = values.value(t, col, id);
          }
          args.put(col.name(), v);
        }
        for (Map.Entry<String, String> r : step.refs().entrySet()) {
          if (!r.getKey().startsWith("=")) {
            args.put(r.getKey(), resolve(r.getValue(), bindings, usedKeys));
          }
        }
        copyConflicts(step, args, state);
        if (args.size() < 2 && !t.foreignKeys().isEmpty()) {
          // Only foreign keys are editable: point one at its current target again.
          Column fk = t.foreignKeys().get(0);
          if (current.get(fk.name()) != null) {
            args.put(fk.name(), current.get(fk.name()));
          }
        }
        break;
      }
      default:
        throw new IllegalStateException(step.action());
    }
    return args;
  }

  private static void copyConflicts(
      PlanStep step, Map<String, Object> args, Map<String, Map<String, Object>> state) {
    for (Map.Entry<String, String> r : step.refs().entrySet()) {
      if (r.getKey().startsWith("=")) {
        String col = r.getKey().substring(1);
        args.put(col, state.get(r.getValue()).get(col));
      }
    }
  }

  /** A handle's key; a missing handle ("?Client") gets a key no row of the table has. */
  private Object resolve(String handle, Map<String, Object> bindings,
      Map<String, Set<String>> usedKeys) {
    if (handle.startsWith(OfflinePlanner.MISSING)) {
      Object key = bindings.get(handle);
      if (key == null) {
        key = freshKey(ctx.schema().table(handle.substring(1)), usedKeys);
        bindings.put(handle, key);
      }
      return key;
    }
    return bindings.get(handle);
  }

  private Object freshKey(Table t, Map<String, Set<String>> usedKeys) {
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
  private void distinctUniques(Table t, Map<String, Object> row,
      Map<String, Map<String, Object>> state) {
    for (Column col : t.nonKeyColumns().values()) {
      if (!col.unique() || col.isForeignKey() || row.get(col.name()) == null) {
        continue;
      }
      for (int i = 0; i < 20 && clashes(t, col, row.get(col.name()), state); i++) {
        row.put(col.name(), values.value(t, col, values.identity()));
      }
    }
  }

  private boolean clashes(Table t, Column col, Object v, Map<String, Map<String, Object>> state) {
    for (Map.Entry<String, Map<String, Object>> e : state.entrySet()) {
      if (e.getKey().startsWith(t.name() + "#") && v.equals(e.getValue().get(col.name()))) {
        return true;
      }
    }
    return false;
  }

  private static void apply(PlanStep step, Table t, Map<String, Object> args,
      Map<String, Object> bindings, Map<String, Map<String, Object>> state) {
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
        state.remove(step.target());
        break;
      default:
        break;
    }
  }
}
