package io.convoforge.family.tooluse.offline;

import io.convoforge.core.model.RejectException;
import io.convoforge.family.tooluse.gen.Naming;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of a workflow step: a create gets a fresh row (unique values distinct from the
 * conversation's rows, a clashing one copied when the step is meant to conflict); an update one
 * or two new values; a get or delete the target's key; a search the target's name, a reference
 * it has, or one or two of its values.
 */
final class WorkflowArguments {
  private final ValueGenerator values;

  WorkflowArguments(ValueGenerator values) {
    this.values = values;
  }

  Map<String, Object> of(PlanStep step, Table t, Binding b)
      throws RejectException {
    String pk = t.primaryKey();
    Map<String, Object> args = new LinkedHashMap<>();
    switch (step.action()) {
      case "create": {
        Map<String, Object> fixed = new LinkedHashMap<>();
        for (Map.Entry<String, String> r : step.refs().entrySet()) {
          if (!r.getKey().startsWith("=")) {
            fixed.put(r.getKey(), b.resolve(r.getValue()));
          }
        }
        Map<String, Object> row = values.row(t, fixed, 0.5);
        b.distinctUniques(t, row);
        row.remove(pk);
        args.putAll(row);
        copyConflicts(step, args, b.state);
        break;
      }
      case "get":
      case "delete":
        args.put(pk, b.resolve(step.target()));
        break;
      case "search":
        args.putAll(search(step, t, b));
        break;
      case "update": {
        args.put(pk, b.resolve(step.target()));
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
            args.put(r.getKey(), b.resolve(r.getValue()));
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

  Object newValue(Table t, Column col, Object current) {
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
}
