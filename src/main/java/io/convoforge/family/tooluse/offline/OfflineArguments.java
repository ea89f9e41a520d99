package io.convoforge.family.tooluse.offline;

import io.convoforge.core.model.RejectException;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.gen.Keys;
import io.convoforge.family.tooluse.gen.Naming;
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
  private final WorkflowArguments workflow;

  OfflineArguments(ToolUseContext ctx, ValueGenerator values) {
    this.ctx = ctx;
    this.values = values;
    this.workflow = new WorkflowArguments(values);
  }

  Conversation bind(Conversation c) throws RejectException {
    Plan plan = c.plan();
    Binding b = new Binding(ctx.schema(), values);
    Map<String, Map<String, Object>> entities = new TreeMap<>();

    for (Map.Entry<String, String> seed : plan.seeds().entrySet()) {
      Table t = ctx.schema().table(seed.getValue());
      b.bindings.put(seed.getKey(), b.freshKey(t));
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
      b.distinctUniques(t, row);
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
        b.apply(step, t, args);
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
    for (int i = 0; i < 10 && b.named(t, createArgs); i++) {
      createArgs = arguments(create, t, b);
    }
    b.argsOf.put(create.index(), createArgs);
    Map<String, Object> args = new LinkedHashMap<>();
    for (Column col : Naming.columns(t)) {
      args.put(col.name(), createArgs.get(col.name()));
    }
    return args;
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
            args.put(r.getKey(), b.resolve(r.getValue()));
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
          for (int i = 0; i < 20 && b.taken(t, col, v); i++) {
            v = values.value(t, col, values.identity());
          }
          args.put(col.name(), v);
        }
      }
      case "lookup", "verify", "follow_up" -> {
        if ("get".equals(step.action())) {
          args.put(pk, b.resolve(step.target()));
        } else if (step.target() != null) {
          Map<String, Object> row = b.gone.get(step.target());
          for (Column col : Naming.columns(t)) {
            args.put(col.name(), row.get(col.name()));
          }
        } else {
          for (Map.Entry<String, String> r : step.refs().entrySet()) {
            args.put(r.getKey(), b.resolve(r.getValue()));
          }
        }
      }
      case "fix" -> {
        args.put(pk, b.resolve(step.target()));
        Column col = ScriptPlanner.fixable(t);
        Map<String, Object> row = b.state.get(step.target());
        args.put(col.name(), workflow.newValue(t, col, row.get(col.name())));
      }
      case "retry" -> {
        args.putAll(b.argsOf.get(step.about()));
        if (step.target() != null) {
          args.put(pk, b.resolve(step.target()));
        }
        for (Map.Entry<String, String> r : step.refs().entrySet()) {
          if (!r.getKey().startsWith("=")) {
            args.put(r.getKey(), b.resolve(r.getValue()));
          }
        }
        for (Column col : t.nonKeyColumns().values()) {
          if (col.unique() && !col.isForeignKey() && args.get(col.name()) != null
              && b.taken(t, col, args.get(col.name()))) {
            args.put(col.name(), workflow.newValue(t, col, args.get(col.name())));
            Map<String, Object> probe = new LinkedHashMap<>(args);
            b.distinctUniques(t, probe);
            args.put(col.name(), probe.get(col.name()));
          }
        }
      }
      default -> args.putAll(workflow.of(step, t, b));
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
}
