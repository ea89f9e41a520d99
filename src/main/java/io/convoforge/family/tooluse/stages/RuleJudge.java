package io.convoforge.family.tooluse.stages;

import io.convoforge.core.model.Judgement.Criterion;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Turn;
import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import io.convoforge.family.tooluse.schema.ToolSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rule checks every judge runs, whatever the backend. Each criterion is computed from the
 * conversation record and the tables schema alone:
 *
 * <ul>
 *   <li>{@code arguments_schema_valid}: every call names a derived tool and its arguments
 *       validate against the tool's schema;
 *   <li>{@code arguments_grounded}: every argument value was said by the user (in this turn or
 *       earlier), returned by an earlier tool result, or is in {@code initial_entities};
 *   <li>{@code referential_integrity}: every key and foreign key a call uses exists in
 *       {@code initial_entities} or was created earlier, except on the call meant to fail;
 *   <li>{@code role_alternation}: every turn has a user message and an assistant reply, and one
 *       result per call;
 *   <li>{@code turn_range}: the turn count is within the recipe's range;
 *   <li>{@code no_empty_text}: no blank user or assistant text;
 *   <li>{@code outcome_consistent}: success conversations have no failing call; failure
 *       conversations exactly one, whose result is the intended error.
 * </ul>
 */
public final class RuleJudge {
  private final ToolUseContext ctx;

  public RuleJudge(ToolUseContext ctx) {
    this.ctx = ctx;
  }

  public Map<String, Criterion> judge(Conversation c) {
    Map<String, Criterion> out = new TreeMap<>();
    List<Turn> turns = c.turns() == null ? List.of() : c.turns();
    out.put("arguments_schema_valid", schemaValid(turns));
    out.put("arguments_grounded", grounded(c, turns));
    out.put("referential_integrity", integrity(c, turns));
    out.put("role_alternation", alternation(turns));
    int min = ctx.recipe().turnsMin();
    int max = ctx.recipe().turnsMax();
    out.put("turn_range", turns.size() >= min && turns.size() <= max ? ok()
        : fail(turns.size() + " turns; expected " + min + " to " + max));
    out.put("no_empty_text", noEmpty(turns));
    out.put("outcome_consistent", outcome(c, turns));
    return out;
  }

  private Criterion schemaValid(List<Turn> turns) {
    for (int i = 0; i < turns.size(); i++) {
      for (ToolCall call : turns.get(i).expectedToolCalls()) {
        List<String> v = ctx.validator().violations(call.name(), call.arguments());
        if (!v.isEmpty()) {
          return fail("turn " + (i + 1) + " " + call.name() + ": " + String.join("; ", v));
        }
      }
    }
    return ok();
  }

  private Criterion grounded(Conversation c, List<Turn> turns) {
    StringBuilder said = new StringBuilder();
    Set<String> known = new HashSet<>();
    if (c.initialEntities() != null) {
      c.initialEntities().values().forEach(row -> collect(row, known));
    }
    for (int i = 0; i < turns.size(); i++) {
      Turn t = turns.get(i);
      said.append(' ').append(t.user() == null ? "" : t.user().toLowerCase(Locale.ROOT));
      for (ToolCall call : t.expectedToolCalls()) {
        ToolSpec spec = ctx.tools().get(call.name());
        if (spec == null || call.arguments() == null) {
          continue;
        }
        Table table = ctx.schema().table(spec.table());
        for (Map.Entry<String, Object> a : call.arguments().entrySet()) {
          String text = ValueGenerator.render(a.getValue()).toLowerCase(Locale.ROOT);
          if (known.contains(text) || said.indexOf(text) >= 0) {
            continue;
          }
          Column col = table.column(a.getKey());
          if (a.getValue() instanceof Boolean && col != null
              && said.indexOf(col.label().toLowerCase(Locale.ROOT)) >= 0) {
            continue;
          }
          return fail("turn " + (i + 1) + " " + call.name() + "." + a.getKey() + " = " + text
              + " was never said, returned or seeded");
        }
      }
      for (ToolResult r : t.toolResults()) {
        collect(r.output(), known);
      }
    }
    return ok();
  }

  private Criterion integrity(Conversation c, List<Turn> turns) {
    Set<String> exists = new HashSet<>();
    if (c.initialEntities() != null) {
      exists.addAll(c.initialEntities().keySet());
    }
    for (int i = 0; i < turns.size(); i++) {
      Turn t = turns.get(i);
      for (int j = 0; j < t.expectedToolCalls().size(); j++) {
        ToolCall call = t.expectedToolCalls().get(j);
        ToolSpec spec = ctx.tools().get(call.name());
        if (spec == null || call.arguments() == null) {
          continue;
        }
        Table table = ctx.schema().table(spec.table());
        if (call.expectError() == null) {
          for (Map.Entry<String, Object> a : call.arguments().entrySet()) {
            Column col = table.column(a.getKey());
            String ref = null;
            if (col != null && col.isForeignKey()) {
              ref = col.references() + ":" + ValueGenerator.render(a.getValue());
            } else if (a.getKey().equals(table.primaryKey()) && !"search".equals(spec.action())) {
              ref = table.name() + ":" + ValueGenerator.render(a.getValue());
            }
            if (ref != null && !exists.contains(ref)) {
              return fail("turn " + (i + 1) + " " + call.name() + "." + a.getKey()
                  + " points at " + ref + ", which does not exist at that point");
            }
          }
        }
        ToolResult r = j < t.toolResults().size() ? t.toolResults().get(j) : null;
        if (r != null && r.ok() && "create".equals(spec.action())
            && r.output() instanceof Map) {
          Object key = ((Map<?, ?>) r.output()).get(table.primaryKey());
          exists.add(table.name() + ":" + ValueGenerator.render(key));
        }
        if (r != null && r.ok() && "delete".equals(spec.action())) {
          exists.remove(table.name() + ":"
              + ValueGenerator.render(call.arguments().get(table.primaryKey())));
        }
      }
    }
    return ok();
  }

  private static Criterion alternation(List<Turn> turns) {
    if (turns.isEmpty()) {
      return fail("no turns");
    }
    for (int i = 0; i < turns.size(); i++) {
      Turn t = turns.get(i);
      if (t.user() == null || t.expectedResponse() == null) {
        return fail("turn " + (i + 1) + " lacks a user message or an assistant reply");
      }
      if (t.toolResults().size() != t.expectedToolCalls().size() && !t.toolResults().isEmpty()) {
        return fail("turn " + (i + 1) + " has " + t.expectedToolCalls().size() + " calls but "
            + t.toolResults().size() + " results");
      }
    }
    return ok();
  }

  private static Criterion noEmpty(List<Turn> turns) {
    for (int i = 0; i < turns.size(); i++) {
      Turn t = turns.get(i);
      if (t.user() == null || t.user().isBlank()) {
        return fail("turn " + (i + 1) + " has an empty user message");
      }
      if (t.responseText() == null || t.responseText().isBlank()) {
        return fail("turn " + (i + 1) + " has an empty expected response");
      }
    }
    return ok();
  }

  private static Criterion outcome(Conversation c, List<Turn> turns) {
    int failing = 0;
    for (Turn t : turns) {
      for (int j = 0; j < t.expectedToolCalls().size(); j++) {
        ToolCall call = t.expectedToolCalls().get(j);
        if (call.expectError() != null) {
          failing++;
          ToolResult r = j < t.toolResults().size() ? t.toolResults().get(j) : null;
          if (r != null && (r.ok() || !call.expectError().equals(r.error().code()))) {
            return fail(call.name() + " is meant to fail with " + call.expectError()
                + " but its result says otherwise");
          }
        }
      }
    }
    if (c.isFailure() && failing != 1) {
      return fail("failure conversation has " + failing + " failing calls; expected 1");
    }
    if (!c.isFailure() && failing != 0) {
      return fail("success conversation has " + failing + " failing calls");
    }
    return ok();
  }

  private static void collect(Object value, Set<String> into) {
    if (value instanceof Map) {
      for (Object v : ((Map<?, ?>) value).values()) {
        collect(v, into);
      }
    } else if (value instanceof List) {
      for (Object v : (List<?>) value) {
        collect(v, into);
      }
    } else if (value != null) {
      into.add(ValueGenerator.render(value).toLowerCase(Locale.ROOT));
    }
  }

  private static Criterion ok() {
    return new Criterion(true, null);
  }

  private static Criterion fail(String detail) {
    return new Criterion(false, detail);
  }

  /** Criteria names that exist, for validating a recipe's judge.required list. */
  public static List<String> criteria() {
    return new ArrayList<>(List.of("arguments_schema_valid", "arguments_grounded",
        "referential_integrity", "role_alternation", "turn_range", "no_empty_text",
        "outcome_consistent"));
  }
}
