package io.convoforge.family.tooluse.offline;

import io.convoforge.core.model.RejectException;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Plan;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.recipe.Task;
import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import io.convoforge.family.tooluse.schema.ToolSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Expands a workflow into steps. Each step acts on entities named by handles ({@code Client#1}):
 * the most recent entity of the table in the conversation, else a new seed that must exist
 * beforehand (with seeds for its own required references). In a failure conversation one step is
 * given an intended error its tool can really produce: {@code not_found} for get/update/delete,
 * {@code invalid_reference} for a create/update of a table with a foreign key, {@code conflict}
 * for one with an {@code x-unique} property.
 */
final class OfflinePlanner {
  static final String MISSING = "?";
  private final ToolUseContext ctx;

  OfflinePlanner(ToolUseContext ctx) {
    this.ctx = ctx;
  }

  /** Mutable planning state of one conversation. */
  private static final class State {
    final Map<String, List<String>> available = new HashMap<>();
    final Map<String, List<String>> seedsByTable = new HashMap<>();
    final LinkedHashMap<String, String> seeds = new LinkedHashMap<>();
    final LinkedHashMap<String, Map<String, String>> seedRefs = new LinkedHashMap<>();
    final Map<String, Integer> counters = new HashMap<>();

    String newHandle(String table) {
      return table + "#" + counters.merge(table, 1, Integer::sum);
    }

    String latest(String table) {
      List<String> l = available.get(table);
      return l == null || l.isEmpty() ? null : l.get(l.size() - 1);
    }

    void add(String table, String handle) {
      available.computeIfAbsent(table, k -> new ArrayList<>()).add(handle);
    }
  }

  Plan plan(Conversation c, Random random) throws RejectException {
    List<String> workflow = workflow(c);
    int failIndex = c.isFailure() ? failIndex(c, workflow, random) : -1;
    State s = new State();
    List<PlanStep> steps = new ArrayList<>();
    for (int i = 0; i < workflow.size(); i++) {
      ToolSpec spec = ctx.tools().get(workflow.get(i));
      if (spec == null) {
        throw new RejectException("unknown_tool", "workflow names unknown tool " + workflow.get(i));
      }
      Table t = ctx.schema().table(spec.table());
      String failure = i == failIndex ? chooseMode(spec, t, random) : null;
      Map<String, String> refs = new LinkedHashMap<>();
      String target = null;
      String creates = null;
      switch (spec.action()) {
        case "create":
          for (Column fk : t.foreignKeys()) {
            String latest = s.latest(fk.references());
            if (t.isRequired(fk.name()) || (latest != null && random.nextDouble() < 0.7)) {
              refs.put(fk.name(), latest != null ? latest : seed(s, fk.references(), random));
            }
          }
          creates = s.newHandle(t.name());
          break;
        case "search":
        case "get":
        case "update":
        case "delete":
          target = s.latest(t.name());
          if (target == null) {
            target = seed(s, t.name(), random);
          }
          break;
        default:
          throw new IllegalStateException(spec.action());
      }
      if (failure != null) {
        switch (failure) {
          case "not_found":
            target = MISSING + t.name();
            break;
          case "invalid_reference": {
            List<Column> fks = t.foreignKeys();
            Column fk = fks.get(random.nextInt(fks.size()));
            refs.put(fk.name(), MISSING + fk.references());
            break;
          }
          case "conflict": {
            // The clash is with another row of the same table that exists beforehand.
            String other = seed(s, t.name(), random);
            refs.put("=" + uniqueColumn(t, random).name(), other);
            break;
          }
          default:
            throw new IllegalStateException(failure);
        }
      }
      steps.add(new PlanStep(i, spec.name(), spec.action(), t.name(), refs, target, creates,
          failure, null));
      if (failure != null) {
        break;
      }
      if (creates != null) {
        s.add(t.name(), creates);
      }
      if ("delete".equals(spec.action())) {
        s.available.get(t.name()).remove(target);
      }
    }
    // Workflow steps after a failure are not executed; they stay in the plan as a record of
    // intent, without arguments.
    for (int i = steps.size(); i < workflow.size(); i++) {
      ToolSpec spec = ctx.tools().get(workflow.get(i));
      steps.add(new PlanStep(i, spec.name(), spec.action(), spec.table(), Map.of(), null, null,
          null, null));
    }
    return new Plan(steps, s.seeds, s.seedRefs, null);
  }

  private List<String> workflow(Conversation c) throws RejectException {
    Task task = ctx.tasks().get(c.taskId());
    if (task == null) {
      throw new RejectException("unknown_task", "no task " + c.taskId() + " in the tasks file");
    }
    return task.workflow();
  }

  private int failIndex(Conversation c, List<String> workflow, Random random)
      throws RejectException {
    Object failAt = c.metadata().get("fail_at");
    if (failAt != null) {
      int idx = workflow.indexOf(String.valueOf(failAt));
      if (idx < 0 || modes(ctx.tools().get(workflow.get(idx)),
          ctx.schema().table(ctx.tools().get(workflow.get(idx)).table())).isEmpty()) {
        throw new RejectException("no_failure_mode",
            "fail_at " + failAt + " is not a step of the workflow that can fail");
      }
      return idx;
    }
    List<Integer> failable = new ArrayList<>();
    for (int i = 0; i < workflow.size(); i++) {
      ToolSpec spec = ctx.tools().get(workflow.get(i));
      if (spec != null && !modes(spec, ctx.schema().table(spec.table())).isEmpty()) {
        failable.add(i);
      }
    }
    if (failable.isEmpty()) {
      throw new RejectException("no_failure_mode",
          "no step of workflow " + workflow + " can fail on execution");
    }
    return failable.get(random.nextInt(failable.size()));
  }

  static List<String> modes(ToolSpec spec, Table t) {
    List<String> modes = new ArrayList<>();
    switch (spec.action()) {
      case "get":
      case "delete":
        modes.add("not_found");
        break;
      case "update":
        modes.add("not_found");
        if (!t.foreignKeys().isEmpty()) {
          modes.add("invalid_reference");
        }
        break;
      case "create":
        if (!t.foreignKeys().isEmpty()) {
          modes.add("invalid_reference");
        }
        if (hasUnique(t)) {
          modes.add("conflict");
        }
        break;
      default:
        break;
    }
    return modes;
  }

  private static String chooseMode(ToolSpec spec, Table t, Random random) {
    List<String> modes = modes(spec, t);
    return modes.get(random.nextInt(modes.size()));
  }

  private static boolean hasUnique(Table t) {
    return t.nonKeyColumns().values().stream().anyMatch(c -> c.unique() && !c.isForeignKey());
  }

  private static Column uniqueColumn(Table t, Random random) {
    List<Column> u = new ArrayList<>();
    for (Column c : t.nonKeyColumns().values()) {
      if (c.unique() && !c.isForeignKey()) {
        u.add(c);
      }
    }
    return u.get(random.nextInt(u.size()));
  }

  /** A new seed of {@code table}, with seeds for the references its rows need. */
  private String seed(State s, String table, Random random) {
    String handle = s.newHandle(table);
    s.seeds.put(handle, table);
    s.seedsByTable.computeIfAbsent(table, k -> new ArrayList<>()).add(handle);
    s.add(table, handle);
    Table t = ctx.schema().table(table);
    Map<String, String> refs = new LinkedHashMap<>();
    for (Column fk : t.foreignKeys()) {
      List<String> existing = s.seedsByTable.get(fk.references());
      String pick = existing == null || existing.isEmpty() ? null
          : existing.get(existing.size() - 1);
      if (fk.references().equals(table) && handle.equals(pick)) {
        pick = null;
      }
      if (t.isRequired(fk.name())) {
        refs.put(fk.name(), pick != null ? pick : seed(s, fk.references(), random));
      } else if (pick != null && random.nextBoolean()) {
        refs.put(fk.name(), pick);
      }
    }
    s.seedRefs.put(handle, refs);
    return handle;
  }
}
