package io.convoforge.family.tooluse.sandbox;

import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.core.util.Seeds;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Turn;
import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.ToolSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Repairs a conversation's seed metadata ({@code initial_entities}) until its expected calls
 * execute as its outcome says: replay, take the problems of the seed rows and the first deviating
 * call, add or complete seed rows, replay again. Values come first from what the conversation
 * states (rows in its recorded tool results), then from the {@link ValueGenerator} seeded by
 * (run seed, conversation id, "repair"), so a repair is deterministic. Anything that is not a
 * missing or incomplete seed (a call that should fail but succeeds for lack of a non-existent
 * row, a clash between the dialogue's own values) is not repairable and says why.
 */
public final class SeedRepair {
  static final int MAX_ROUNDS = 25;

  /** The repaired conversation, or the reason it cannot be repaired; failure counts by type. */
  public record Outcome(Conversation conversation, Map<String, Long> prerepairFailures,
      int entitiesAdded, int entitiesCompleted, String rejectReason, String rejectDetail) {
    public boolean repaired() {
      return rejectReason == null;
    }
  }

  private final TablesSchema schema;
  private final Replayer replayer;
  private final ValueGenerator gen = new ValueGenerator();
  private final long runSeed;

  public SeedRepair(TablesSchema schema, Replayer replayer, long runSeed) {
    this.schema = schema;
    this.replayer = replayer;
    this.runSeed = runSeed;
  }

  public Outcome repair(Conversation c) {
    gen.reseed(Seeds.of(runSeed, c.id(), "repair"));
    Map<String, Map<String, Object>> entities = new LinkedHashMap<>();
    if (c.initialEntities() != null) {
      c.initialEntities().forEach((k, v) -> entities.put(k, new LinkedHashMap<>(v)));
    }
    Map<String, Long> counts = new TreeMap<>();
    int[] added = {0};
    int[] completed = {0};
    Conversation cur = c;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Replayer.Result r = replayer.replay(cur, false);
      if (!r.outcomeProblems().isEmpty()) {
        return reject(c, counts, "unrepairable:" + r.outcomeProblems().get(0),
            "the calls do not match the outcome '" + c.outcome() + "'");
      }
      if (!r.seedProblems().isEmpty()) {
        for (Sandbox.Problem p : r.seedProblems()) {
          counts.merge(p.type(), 1L, Long::sum);
          String why = fixSeed(p, entities, c, added, completed);
          if (why != null) {
            return reject(c, counts, "unrepairable:" + p.type(), why);
          }
        }
        cur = c.withInitialEntities(copy(entities));
        continue;
      }
      Replayer.Step s = r.firstDeviation();
      if (s == null) {
        return new Outcome(cur, counts, added[0], completed[0], null, null);
      }
      String type = s.deviation();
      counts.merge(type, 1L, Long::sum);
      String why = fixCall(s, entities, c, added);
      if (why != null) {
        return reject(c, counts, "unrepairable:" + type, "turn " + s.turn() + ", "
            + s.call().name() + ": " + why);
      }
      cur = c.withInitialEntities(copy(entities));
    }
    return reject(c, counts, "repair_did_not_converge",
        "still failing after " + MAX_ROUNDS + " repair rounds");
  }

  private static Outcome reject(Conversation c, Map<String, Long> counts, String reason,
      String detail) {
    return new Outcome(c, counts, 0, 0, reason, detail);
  }

  private String fixSeed(Sandbox.Problem p, Map<String, Map<String, Object>> entities,
      Conversation c, int[] added, int[] completed) {
    Table t = schema.hasTable(p.table()) ? schema.table(p.table()) : null;
    if (t == null) {
      return "the schema has no table " + p.table();
    }
    String entityKey = t.name() + ":" + MemoryKeys.render(p.key());
    Map<String, Object> row = entities.get(entityKey);
    switch (p.type()) {
      case "seed_missing_column": {
        if (row == null) {
          return "the seed row " + entityKey + " cannot be found";
        }
        if (p.column().equals(t.primaryKey())) {
          return "a seed row has no key";
        }
        Column col = t.column(p.column());
        Object v = stated(c, t, p.key(), col.name());
        if (v == null && col.isForeignKey()) {
          v = parentFor(col, entities, c, added);
        }
        if (v == null) {
          v = gen.value(t, col, gen.identity());
        }
        row.put(col.name(), v);
        completed[0]++;
        return null;
      }
      case "seed_missing_parent": {
        Column col = t.column(p.column());
        String parentKey = col.references() + ":" + MemoryKeys.render(p.value());
        if (!entities.containsKey(parentKey)) {
          addRow(schema.table(col.references()), p.value(), entities, c, added);
        }
        return null;
      }
      case "seed_invalid_value": {
        if (row == null || p.column() == null || t.column(p.column()) == null) {
          return p.message();
        }
        row.put(p.column(), gen.value(t, t.column(p.column()), gen.identity()));
        completed[0]++;
        return null;
      }
      default:
        return p.message();
    }
  }

  private String fixCall(Replayer.Step s, Map<String, Map<String, Object>> entities,
      Conversation c, int[] added) {
    Sandbox.Problem p = s.problem();
    switch (s.deviation()) {
      case "not_found": {
        Table t = schema.table(p.table());
        Map<String, Object> base = new LinkedHashMap<>();
        if (s.recorded() != null && s.recorded().ok() && s.recorded().output() instanceof Map<?, ?>
            && "get".equals(action(s))) {
          ((Map<?, ?>) s.recorded().output()).forEach((k, v) -> base.put(String.valueOf(k), v));
        }
        addRow(t, p.key(), entities, c, added, base);
        return null;
      }
      case "invalid_reference":
      case "wrong_error":
      case "wrong_failure": {
        if (p == null || !"invalid_reference".equals(p.type()) && !"not_found".equals(p.type())) {
          return s.result().ok() ? "it succeeded" : s.result().error().message();
        }
        if ("not_found".equals(p.type())) {
          addRow(schema.table(p.table()), p.key(), entities, c, added);
          return null;
        }
        Column col = schema.table(p.table()).column(p.column());
        if (col == null || !col.isForeignKey()) {
          return s.result().error().message();
        }
        addRow(schema.table(col.references()), p.value(), entities, c, added);
        return null;
      }
      case "search_missing_rows": {
        Table t = schema.table(tableOfTool(s));
        List<?> want = Replayer.results(s.recorded().output());
        for (Object o : want) {
          if (o instanceof Map<?, ?> m && m.get(t.primaryKey()) != null) {
            String k = t.name() + ":" + MemoryKeys.render(m.get(t.primaryKey()));
            if (!entities.containsKey(k)) {
              Map<String, Object> base = new LinkedHashMap<>();
              m.forEach((a, b) -> base.put(String.valueOf(a), b));
              addRow(t, m.get(t.primaryKey()), entities, c, added, base);
            }
          }
        }
        return null;
      }
      case "intended_failure_succeeded": {
        if (!"conflict".equals(s.call().expectError())) {
          return "the call was meant to fail with " + s.call().expectError()
              + " but succeeded; only a missing row can be added, not removed";
        }
        Table t = schema.table(tableOfTool(s));
        for (Map.Entry<String, Object> e : s.call().arguments().entrySet()) {
          Column col = t.column(e.getKey());
          if (col != null && col.unique() && e.getValue() != null) {
            // The row the conversation shows holding the value (a search for it), else a new one.
            Map<String, Object> holder = holding(c, t, col.name(), e.getValue());
            Map<String, Object> base = new LinkedHashMap<>();
            if (holder != null) {
              base.putAll(holder);
            }
            base.put(col.name(), e.getValue());
            Object key = holder != null ? holder.get(t.primaryKey()) : gen.key(t);
            addRow(t, key, entities, c, added, base);
            return null;
          }
        }
        return "no unique value in the call to conflict with";
      }
      default:
        return s.result().ok() ? "it succeeded" : s.result().error().message();
    }
  }

  /** A row of {@code t} in the conversation's recorded results whose {@code col} is {@code v}. */
  private static Map<String, Object> holding(Conversation c, Table t, String col, Object v) {
    for (Turn turn : c.turns() == null ? List.<Turn>of() : c.turns()) {
      for (ToolResult r : turn.toolResults()) {
        if (!r.ok()) {
          continue;
        }
        List<Object> candidates = new ArrayList<>();
        candidates.add(r.output());
        List<?> list = Replayer.results(r.output());
        if (list != null) {
          candidates.addAll(list);
        }
        for (Object o : candidates) {
          if (o instanceof Map<?, ?> m && m.get(t.primaryKey()) != null
              && Canonical.same(m.get(col), v)
              && m.keySet().stream().allMatch(k -> t.column(String.valueOf(k)) != null)) {
            Map<String, Object> row = new LinkedHashMap<>();
            m.forEach((a, b) -> row.put(String.valueOf(a), b));
            return row;
          }
        }
      }
    }
    return null;
  }

  private String action(Replayer.Step s) {
    return replayer.tool(s.call().name()) == null ? null
        : replayer.tool(s.call().name()).action();
  }

  private String tableOfTool(Replayer.Step s) {
    return replayer.tool(s.call().name()).table();
  }

  private void addRow(Table t, Object key, Map<String, Map<String, Object>> entities,
      Conversation c, int[] added) {
    addRow(t, key, entities, c, added, new LinkedHashMap<>());
  }

  /** Adds a seed row of {@code t} with {@code key}: stated values, then generated ones. */
  private void addRow(Table t, Object key, Map<String, Map<String, Object>> entities,
      Conversation c, int[] added, Map<String, Object> base) {
    Map<String, Object> fixed = new LinkedHashMap<>();
    Map<String, Object> stated = statedRow(c, t, key);
    if (stated != null) {
      fixed.putAll(stated);
    }
    base.forEach((k, v) -> {
      if (t.column(k) != null && v != null) {
        fixed.put(k, v);
      }
    });
    fixed.put(t.primaryKey(), key);
    for (Column fk : t.foreignKeys()) {
      if (t.isRequired(fk.name()) && fixed.get(fk.name()) == null) {
        fixed.put(fk.name(), parentFor(fk, entities, c, added));
      }
    }
    Map<String, Object> row = gen.row(t, fixed, 0.0);
    entities.put(t.name() + ":" + MemoryKeys.render(key), row);
    added[0]++;
  }

  /** A parent for a required reference: an existing seed of that table, else a new one. */
  private Object parentFor(Column fk, Map<String, Map<String, Object>> entities, Conversation c,
      int[] added) {
    Table parent = schema.table(fk.references());
    for (Map.Entry<String, Map<String, Object>> e : entities.entrySet()) {
      if (e.getKey().startsWith(parent.name() + ":")) {
        return e.getValue().get(parent.primaryKey());
      }
    }
    Object key = gen.key(parent);
    addRow(parent, key, entities, c, added);
    return key;
  }

  private Object stated(Conversation c, Table t, Object key, String column) {
    Map<String, Object> row = statedRow(c, t, key);
    return row == null ? null : row.get(column);
  }

  /**
   * The row the conversation itself shows for {@code t}/{@code key}: a map in any recorded tool
   * result that carries the key and only properties of the table (a get, search or update
   * output), merged in order, without the values of columns an earlier update of the row
   * changed.
   */
  private Map<String, Object> statedRow(Conversation c, Table t, Object key) {
    Map<String, Object> out = null;
    if (c.turns() == null || key == null) {
      return null;
    }
    // Columns an update of this row has changed so far: from then on, every result shows the
    // values after the change (the update's own output, later reads), not what the seed held.
    Set<String> changed = new HashSet<>();
    for (Turn turn : c.turns()) {
      for (int i = 0; i < turn.toolResults().size(); i++) {
        ToolResult r = turn.toolResults().get(i);
        if (i < turn.expectedToolCalls().size()) {
          ToolCall call = turn.expectedToolCalls().get(i);
          ToolSpec spec = replayer.tool(call.name());
          if (r.ok() && spec != null && "update".equals(spec.action())
              && spec.table().equals(t.name()) && call.arguments() != null
              && Canonical.same(call.arguments().get(t.primaryKey()), key)) {
            changed.addAll(call.arguments().keySet());
            changed.remove(t.primaryKey());
          }
        }
        if (!r.ok() || r.output() == null) {
          continue;
        }
        List<Object> candidates = new ArrayList<>();
        candidates.add(r.output());
        List<?> list = Replayer.results(r.output());
        if (list != null) {
          candidates.addAll(list);
        }
        for (Object o : candidates) {
          if (o instanceof Map<?, ?> m && m.size() > 1 && Canonical.same(m.get(t.primaryKey()), key)
              && m.keySet().stream().allMatch(k -> t.column(String.valueOf(k)) != null)) {
            if (out == null) {
              out = new LinkedHashMap<>();
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
              if (!changed.contains(String.valueOf(e.getKey()))) {
                out.putIfAbsent(String.valueOf(e.getKey()), e.getValue());
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static Map<String, Map<String, Object>> copy(Map<String, Map<String, Object>> m) {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, new LinkedHashMap<>(v)));
    return out;
  }

  /** How entity keys are written in {@code initial_entities}: "Table:" + the key as text. */
  static final class MemoryKeys {
    private MemoryKeys() {}

    static String render(Object key) {
      if (key instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
        return String.valueOf(n.longValue());
      }
      return String.valueOf(key);
    }
  }
}
