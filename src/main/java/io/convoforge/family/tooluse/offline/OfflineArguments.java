package io.convoforge.family.tooluse.offline;

import io.convoforge.core.model.RejectException;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.gen.Keys;
import io.convoforge.family.tooluse.gen.Naming;
import io.convoforge.family.tooluse.gen.Typos;
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
 * and the arguments of every call the conversation makes, in the order it makes them, tracking
 * the rows as the calls change them. Keys of created rows come from {@link Keys#created}, the
 * same function the sandbox uses, so later steps can reference them. Values honour every
 * constraint of the column. By role: workflow creates get fresh rows, updates one or two new
 * values, searches the target's name, a reference it has to a record already named, or one or
 * two of its values; {@code find} and {@code show} search a record by its name or the clashing
 * value; {@code find_none} by a name no row has; reads take the key (a search after a delete,
 * the deleted row's name; a follow-up on children, the parent's key); {@code check} searches
 * the name of the record the next create makes (drawn so that no row has it yet); {@code fix}
 * changes one value the user said; {@code retry} repeats the failed call with the right key or a
 * new unique value. Markers: {@code ?Table} is a key no row has, {@code ~Handle} a real key one
 * character off. Failures: {@code typo_impossible} when no key one character off is valid.
 */
final class OfflineArguments {
  private final ToolUseContext ctx;
  private final ValueGenerator values;
  private final ValueGenerator keys = new ValueGenerator();

  OfflineArguments(ToolUseContext ctx, ValueGenerator values) {
    this.ctx = ctx;
    this.values = values;
  }

  /** One conversation's binding state. */
  private final class Binding {
    final Map<String, Object> bindings = new LinkedHashMap<>();
    final Map<String, Set<String>> usedKeys = new HashMap<>();
    final Map<String, Map<String, Object>> state = new HashMap<>();
    final Map<String, Map<String, Object>> gone = new HashMap<>();
    final Map<Integer, Map<String, Object>> argsOf = new HashMap<>();
  }

  Conversation bind(Conversation c) throws RejectException {
    Plan plan = c.plan();
    Binding b = new Binding();
    Map<String, Map<String, Object>> entities = new TreeMap<>();

    for (Map.Entry<String, String> seed : plan.seeds().entrySet()) {
      Table t = ctx.schema().table(seed.getValue());
      b.bindings.put(seed.getKey(), freshKey(t, b.usedKeys));
    }
    // Created keys are known before execution: they depend only on the id and ordinals.
    Map<String, Integer> ordinals = new HashMap<>();
    for (PlanStep step : plan.steps()) {
      if (step.creates() != null && step.failure() == null && !pending(step)) {
        Table t = ctx.schema().table(step.table());
        int ord = ordinals.merge(t.name(), 1, Integer::sum) - 1;
        Object key = Keys.created(keys, t, c.id(), ord);
        b.bindings.put(step.creates(), key);
        b.usedKeys.computeIfAbsent(t.name(), k -> new HashSet<>()).add(String.valueOf(key));
      }
    }
    for (Map.Entry<String, String> seed : plan.seeds().entrySet()) {
      Table t = ctx.schema().table(seed.getValue());
      Map<String, Object> fixed = new LinkedHashMap<>();
      fixed.put(t.primaryKey(), b.bindings.get(seed.getKey()));
      plan.seedRefs().getOrDefault(seed.getKey(), Map.of())
          .forEach((col, handle) -> fixed.put(col, b.bindings.get(handle)));
      Map<String, Object> row = values.row(t, fixed, 0.7);
      for (Column col : t.nonKeyColumns().values()) {
        // Unique values are always present on seeds: a conflict step may need to copy one.
        if (col.unique() && !col.isForeignKey() && !row.containsKey(col.name())) {
          row.put(col.name(), values.value(t, col, values.identity()));
        }
      }
      distinctUniques(t, row, b.state);
      b.state.put(seed.getKey(), row);
      // A copy: the state's row changes with the calls, the seed row must not.
      entities.put(t.name() + ":" + b.bindings.get(seed.getKey()), new LinkedHashMap<>(row));
    }

    List<PlanStep> steps = new ArrayList<>();
    for (PlanStep step : plan.steps()) {
      if (pending(step)) {
        steps.add(step);
        continue;
      }
      Table t = ctx.schema().table(step.table());
      // Validated against the tool schema by the stage, whatever the backend.
      Map<String, Object> args;
      if ("check".equals(step.role())) {
        args = check(plan.steps().get(step.about()), t, b);
      } else if (b.argsOf.containsKey(step.index())) {
        args = b.argsOf.get(step.index());
      } else {
        args = arguments(step, t, b);
      }
      b.argsOf.put(step.index(), args);
      steps.add(step.withArguments(args));
      if (step.failure() == null) {
        apply(step, t, args, b);
      }
    }
    return c.withPlan(new Plan(steps, plan.seeds(), plan.seedRefs(), b.bindings, plan.script()))
        .withInitialEntities(entities);
  }

  /**
   * A check before a create: the create's arguments are drawn now (and kept for it), again
   * while a row already has its name, and the check searches that name.
   */
  private Map<String, Object> check(PlanStep create, Table t, Binding b) throws RejectException {
    Map<String, Object> createArgs = arguments(create, t, b);
    for (int i = 0; i < 10 && named(t, createArgs, b.state); i++) {
      createArgs = arguments(create, t, b);
    }
    b.argsOf.put(create.index(), createArgs);
    Map<String, Object> args = new LinkedHashMap<>();
    for (Column col : Naming.columns(t)) {
      args.put(col.name(), createArgs.get(col.name()));
    }
    return args;
  }

  /** True when a row of {@code t} has the naming values of {@code values}. */
  private static boolean named(Table t, Map<String, Object> values,
      Map<String, Map<String, Object>> state) {
    for (Map.Entry<String, Map<String, Object>> e : state.entrySet()) {
      if (e.getKey().startsWith(t.name() + "#") && Naming.columns(t).stream().allMatch(
          c -> java.util.Objects.equals(values.get(c.name()), e.getValue().get(c.name())))) {
        return true;
      }
    }
    return false;
  }

  static boolean pending(PlanStep step) {
    return PlanStep.PENDING.equals(step.role());
  }

  private Map<String, Object> arguments(PlanStep step, Table t, Binding b)
      throws RejectException {
    String role = step.role() == null ? PlanStep.WORKFLOW : step.role();
    String pk = t.primaryKey();
    Map<String, Object> args = new LinkedHashMap<>();
    switch (role) {
      case "find", "show" -> {
        Map<String, Object> row = b.state.get(step.target());
        for (Map.Entry<String, String> r : step.refs().entrySet()) {
          if (!r.getKey().startsWith("=")) {
            args.put(r.getKey(), resolve(r.getValue(), b));
          }
        }
        if (args.isEmpty()) {
          for (Column col : searchColumns(step, t)) {
            args.put(col.name(), row.get(col.name()));
          }
        }
      }
      case "find_none" -> {
        for (Column col : Naming.columns(t)) {
          Object v = values.value(t, col, values.identity());
          for (int i = 0; i < 20 && taken(t, col, v, b.state); i++) {
            v = values.value(t, col, values.identity());
          }
          args.put(col.name(), v);
        }
      }
      case "lookup", "verify", "follow_up" -> {
        if ("get".equals(step.action())) {
          args.put(pk, resolve(step.target(), b));
        } else if (step.target() != null) {
          Map<String, Object> row = b.gone.get(step.target());
          for (Column col : Naming.columns(t)) {
            args.put(col.name(), row.get(col.name()));
          }
        } else {
          for (Map.Entry<String, String> r : step.refs().entrySet()) {
            args.put(r.getKey(), resolve(r.getValue(), b));
          }
        }
      }
      case "fix" -> {
        args.put(pk, resolve(step.target(), b));
        Column col = ScriptPlanner.fixable(t);
        Map<String, Object> row = b.state.get(step.target());
        args.put(col.name(), newValue(t, col, row.get(col.name())));
      }
      case "retry" -> {
        args.putAll(b.argsOf.get(step.about()));
        if (step.target() != null) {
          args.put(pk, resolve(step.target(), b));
        }
        for (Map.Entry<String, String> r : step.refs().entrySet()) {
          if (!r.getKey().startsWith("=")) {
            args.put(r.getKey(), resolve(r.getValue(), b));
          }
        }
        for (Column col : t.nonKeyColumns().values()) {
          if (col.unique() && !col.isForeignKey() && args.get(col.name()) != null
              && taken(t, col, args.get(col.name()), b.state)) {
            args.put(col.name(), newValue(t, col, args.get(col.name())));
            Map<String, Object> probe = new LinkedHashMap<>(args);
            distinctUniques(t, probe, b.state);
            args.put(col.name(), probe.get(col.name()));
          }
        }
      }
      default -> args.putAll(workflow(step, t, b));
    }
    return args;
  }

  private Map<String, Object> workflow(PlanStep step, Table t, Binding b)
      throws RejectException {
    String pk = t.primaryKey();
    Map<String, Object> args = new LinkedHashMap<>();
    switch (step.action()) {
      case "create": {
        Map<String, Object> fixed = new LinkedHashMap<>();
        for (Map.Entry<String, String> r : step.refs().entrySet()) {
          if (!r.getKey().startsWith("=")) {
            fixed.put(r.getKey(), resolve(r.getValue(), b));
          }
        }
        Map<String, Object> row = values.row(t, fixed, 0.5);
        distinctUniques(t, row, b.state);
        row.remove(pk);
        args.putAll(row);
        copyConflicts(step, args, b.state);
        break;
      }
      case "get":
      case "delete":
        args.put(pk, resolve(step.target(), b));
        break;
      case "search":
        args.putAll(search(step, t, b));
        break;
      case "update": {
        args.put(pk, resolve(step.target(), b));
        Map<String, Object> current = b.state.getOrDefault(step.target(), Map.of());
        List<Column> editable = new ArrayList<>();
        for (Column col : t.nonKeyColumns().values()) {
          if (!col.isForeignKey()) {
            editable.add(col);
          }
        }
        for (Column col : values.pick(editable, Math.min(editable.size(),
            1 + values.random().nextInt(2)))) {
          args.put(col.name(), newValue(t, col, current.get(col.name())));
        }
        for (Map.Entry<String, String> r : step.refs().entrySet()) {
          if (!r.getKey().startsWith("=")) {
            args.put(r.getKey(), resolve(r.getValue(), b));
          }
        }
        copyConflicts(step, args, b.state);
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

  /**
   * A workflow search: by a reference to a record of another table the target points at (0.5,
   * "the quotes of this opportunity"), else by its name (0.6), else by one or two of its values.
   */
  private Map<String, Object> search(PlanStep step, Table t, Binding b) {
    Map<String, Object> row = b.state.get(step.target());
    Map<String, Object> args = new LinkedHashMap<>();
    List<Column> fks = new ArrayList<>();
    for (Column fk : t.foreignKeys()) {
      if (row.get(fk.name()) != null) {
        fks.add(fk);
      }
    }
    if (!fks.isEmpty() && values.random().nextDouble() < 0.5) {
      Column fk = fks.get(values.random().nextInt(fks.size()));
      args.put(fk.name(), row.get(fk.name()));
      return args;
    }
    List<Column> naming = Naming.columns(t);
    if (!naming.isEmpty() && naming.stream().allMatch(c -> row.get(c.name()) != null)
        && values.random().nextDouble() < 0.6) {
      naming.forEach(c -> args.put(c.name(), row.get(c.name())));
      return args;
    }
    List<String> candidates = new ArrayList<>();
    for (Column col : t.columns().values()) {
      if (!col.name().equals(t.primaryKey()) && row.get(col.name()) != null
          && (col.isString() || col.enumValues() != null) && !col.isForeignKey()) {
        candidates.add(col.name());
      }
    }
    if (candidates.isEmpty()) {
      args.put(t.primaryKey(), row.get(t.primaryKey()));
    } else {
      for (String col : values.pick(candidates, 1 + values.random().nextInt(
          Math.min(2, candidates.size())))) {
        args.put(col, row.get(col));
      }
    }
    return args;
  }

  /** What a find or show searches by: the clashing unique value, else the name. */
  private static List<Column> searchColumns(PlanStep step, Table t) {
    for (String k : step.refs().keySet()) {
      if (k.startsWith("=")) {
        return List.of(t.column(k.substring(1)));
      }
    }
    return Naming.columns(t);
  }

  private Object newValue(Table t, Column col, Object current) {
    Object v = values.value(t, col, values.identity());
    for (int i = 0; i < 8 && v.equals(current); i++) {
      v = values.value(t, col, values.identity());
    }
    return v;
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

  /**
   * A handle's key. {@code ?Table}: a key no row of the table has; {@code ~Handle}: the
   * handle's key one character off (both drawn once and kept in the bindings).
   */
  private Object resolve(String handle, Binding b) throws RejectException {
    if (handle.startsWith(PlanState.MISSING) || handle.startsWith(PlanState.TYPO)) {
      Object key = b.bindings.get(handle);
      if (key == null) {
        Table t = ctx.schema().table(PlanState.tableOf(handle));
        if (handle.startsWith(PlanState.MISSING)) {
          key = freshKey(t, b.usedKeys);
        } else {
          key = Typos.oneOff(b.bindings.get(handle.substring(1)), t.key(), values.random(),
              b.usedKeys.computeIfAbsent(t.name(), k -> new HashSet<>()));
          if (key == null) {
            throw new RejectException("typo_impossible", "no key of " + t.name()
                + " one character off " + b.bindings.get(handle.substring(1)) + " is valid");
          }
          b.usedKeys.get(t.name()).add(String.valueOf(key));
        }
        b.bindings.put(handle, key);
      }
      return key;
    }
    return b.bindings.get(handle);
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
      for (int i = 0; i < 20 && taken(t, col, row.get(col.name()), state); i++) {
        row.put(col.name(), values.value(t, col, values.identity()));
      }
    }
  }

  private static boolean taken(Table t, Column col, Object v,
      Map<String, Map<String, Object>> state) {
    for (Map.Entry<String, Map<String, Object>> e : state.entrySet()) {
      if (e.getKey().startsWith(t.name() + "#") && v.equals(e.getValue().get(col.name()))) {
        return true;
      }
    }
    return false;
  }

  private static void apply(PlanStep step, Table t, Map<String, Object> args, Binding b) {
    switch (step.action()) {
      case "create": {
        Map<String, Object> row = new LinkedHashMap<>(args);
        row.put(t.primaryKey(), b.bindings.get(step.creates()));
        b.state.put(step.creates(), row);
        break;
      }
      case "update":
        b.state.computeIfAbsent(step.target(), k -> new LinkedHashMap<>()).putAll(args);
        break;
      case "delete":
        b.gone.put(step.target(), b.state.remove(step.target()));
        break;
      default:
        break;
    }
  }
}
