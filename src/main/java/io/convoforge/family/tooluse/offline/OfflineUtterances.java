package io.convoforge.family.tooluse.offline;

import io.convoforge.core.model.RejectException;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.gen.MemoryStore;
import io.convoforge.family.tooluse.gen.PhraseBank;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.model.Turn;
import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes the dialogue from the phrase bank. The user opens with the goal in the persona's style;
 * each executed step is one turn (user asks with the values, assistant calls and confirms) or two
 * (assistant first asks for the missing values); recap turns pad to a turn count drawn from the
 * recipe's range; a closing turn ends it. Results are predicted by executing the calls in a
 * {@link MemoryStore}, so replies quote real keys and values. A failure conversation's failing
 * call gets the intended error and the assistant explains it and stops the workflow.
 */
final class OfflineUtterances {
  private final ToolUseContext ctx;
  private final PhraseBank bank;
  private final ValueGenerator keys = new ValueGenerator();

  OfflineUtterances(ToolUseContext ctx) {
    this.ctx = ctx;
    this.bank = ctx.phrases();
  }

  List<Turn> write(Conversation c, Random random) throws RejectException {
    List<PlanStep> exec = new ArrayList<>();
    for (PlanStep s : c.plan().steps()) {
      if (s.arguments() != null) {
        exec.add(s);
      }
    }
    if (exec.isEmpty()) {
      throw new RejectException("empty_plan", "no step has arguments");
    }
    List<ToolResult> results = execute(c, exec);
    String style = c.persona() == null ? "any" : c.persona().getOrDefault("style", "any");
    Map<String, String> base = new HashMap<>();
    if (c.persona() != null) {
      base.put("name", c.persona().getOrDefault("name", ""));
      base.put("role", c.persona().getOrDefault("role", ""));
    }
    base.put("goal", goal(c));

    int min = ctx.recipe().turnsMin();
    int max = Math.max(min, ctx.recipe().turnsMax());
    int target = min + random.nextInt(max - min + 1);
    List<Integer> askable = new ArrayList<>();
    for (int i = 0; i < exec.size(); i++) {
      if (("create".equals(exec.get(i).action()) && !userValues(exec.get(i)).isEmpty())
          || "update".equals(exec.get(i).action())) {
        askable.add(i);
      }
    }
    int extra = Math.max(0, target - (exec.size() + 1));
    List<Integer> asks = pickIndices(random, askable, Math.min(extra, askable.size()));
    // Recap turns go after distinct steps first, so they do not clump.
    int[] fillersAfter = new int[exec.size()];
    List<Integer> slots = new ArrayList<>();
    for (int f = 0; f < extra - asks.size(); f++) {
      if (slots.isEmpty()) {
        for (int i = 0; i < exec.size(); i++) {
          slots.add(i);
        }
      }
      fillersAfter[slots.remove(random.nextInt(slots.size()))]++;
    }

    List<Turn> turns = new ArrayList<>();
    List<String> done = new ArrayList<>();
    String open = bank.say(random, "user.open", style, base);
    boolean failed = false;
    for (int i = 0; i < exec.size(); i++) {
      PlanStep step = exec.get(i);
      Table t = ctx.schema().table(step.table());
      ToolResult result = results.get(i);
      Map<String, String> vars = new HashMap<>(base);
      vars.put("entity", t.label());
      String prefix = i == 0 ? open + " " : "";
      String valueTemplate = bank.phrases("user.value", style).get(
          random.nextInt(bank.phrases("user.value", style).size()));
      Map<String, Object> userValues = userValues(step);
      vars.put("values", renderValues(random, valueTemplate, step, t, userValues, c));
      Object pkValue = step.arguments().get(t.primaryKey());
      vars.put("id", pkValue == null ? "" : ValueGenerator.render(pkValue));
      ToolCall call = new ToolCall(step.tool(), step.arguments(), step.failure());
      String reply = reply(random, style, step, t, result, vars, c);
      if (step.failing() && i == exec.size() - 1
          && c.plan().steps().size() > step.index() + 1) {
        reply = reply + " " + bank.say(random, "assistant.skipped", style, vars);
      }
      if (asks.contains(i)) {
        boolean create = "create".equals(step.action());
        String ask = bank.say(random, create ? "user.request.create_ask" : "user.request.update_ask",
            style, vars);
        Map<String, String> askVars = new HashMap<>(vars);
        askVars.put("fields", joinAnd(labels(t, userValues)));
        String question = bank.say(random,
            create ? "assistant.ask_missing" : "assistant.ask_update", style, askVars);
        turns.add(turn(prefix + ask, List.of(), List.of(), question));
        turns.add(turn(bank.say(random, "user.provide", style, vars), List.of(call),
            List.of(result), reply));
      } else {
        turns.add(turn(prefix + bank.say(random, "user.request." + step.action(), style, vars),
            List.of(call), List.of(result), reply));
      }
      if (result.ok()) {
        done.add(doneText(step, t, result));
      } else {
        failed = true;
      }
      for (int f = 0; f < fillersAfter[i]; f++) {
        Map<String, String> recap = new HashMap<>(vars);
        recap.put("summary", summary(done));
        String answer;
        if (failed) {
          recap.put("error", result.error().message());
          answer = bank.say(random, "assistant.recap_failed", style, recap);
        } else if (done.isEmpty()) {
          answer = bank.say(random, "assistant.recap_empty", style, vars);
        } else {
          answer = bank.say(random, "assistant.recap", style, recap);
        }
        turns.add(turn(bank.say(random, failed ? "user.filler_failed" : "user.filler", style,
            vars), List.of(), List.of(), answer));
      }
    }
    Map<String, String> closeVars = new HashMap<>(base);
    closeVars.put("summary", summary(done));
    if (failed) {
      turns.add(turn(bank.say(random, "user.ack_failure", style, base), List.of(), List.of(),
          bank.say(random, "assistant.close_failure", style, closeVars)));
    } else {
      turns.add(turn(bank.say(random, "user.close", style, base), List.of(), List.of(),
          bank.say(random, "assistant.close", style, closeVars)));
    }
    return turns;
  }

  /** Executes the calls in memory and checks each behaves as the plan intends. */
  private List<ToolResult> execute(Conversation c, List<PlanStep> exec) throws RejectException {
    MemoryStore store = new MemoryStore(ctx.schema(), ctx.tools(), c.id(), keys);
    for (Map.Entry<String, Map<String, Object>> e : c.initialEntities().entrySet()) {
      store.seed(e.getKey().substring(0, e.getKey().indexOf(':')), e.getValue());
    }
    List<ToolResult> out = new ArrayList<>();
    for (PlanStep step : exec) {
      ToolResult r = store.execute(new ToolCall(step.tool(), step.arguments(), step.failure()));
      boolean asIntended = step.failing()
          ? !r.ok() && step.failure().equals(r.error().code())
          : r.ok();
      if (!asIntended) {
        throw new RejectException("plan_inconsistent", "step " + step.index() + " (" + step.tool()
            + ") " + (r.ok() ? "succeeded" : "failed with " + r.error().code())
            + " but the plan intends " + (step.failing() ? step.failure() : "success"));
      }
      out.add(r);
    }
    return out;
  }

  /** The values the user states for a step, in the schema's column order. */
  private Map<String, Object> userValues(PlanStep step) {
    Table t = ctx.schema().table(step.table());
    Map<String, Object> out = inColumnOrder(t, step.arguments());
    if (!"search".equals(step.action())) {
      out.remove(t.primaryKey());
    }
    return out;
  }

  /** Never iterate a record's map for text: its order depends on the runner; columns do not. */
  private static Map<String, Object> inColumnOrder(Table t, Map<String, Object> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String col : t.columns().keySet()) {
      if (values.containsKey(col)) {
        out.put(col, values.get(col));
      }
    }
    return out;
  }

  private String renderValues(Random random, String template, PlanStep step, Table t,
      Map<String, Object> values, Conversation c) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Column col = t.column(e.getKey());
      String handle = step.refs().get(e.getKey());
      if (col != null && col.isForeignKey() && handle != null && !handle.startsWith("?")
          && !c.plan().seeds().containsKey(handle)) {
        Map<String, String> v = Map.of("entity", ctx.schema().table(col.references()).label());
        parts.add(bank.say(random, "user.link_created", "any", v));
        continue;
      }
      String label = col == null ? e.getKey() : col.label();
      if (e.getValue() instanceof Boolean) {
        parts.add(label + ": " + ValueGenerator.render(e.getValue()));
        continue;
      }
      Map<String, String> v = new HashMap<>();
      v.put("field", label);
      v.put("value", ValueGenerator.render(e.getValue()));
      parts.add(PhraseBank.fill(template, v));
    }
    return joinAnd(parts);
  }

  private String reply(Random random, String style, PlanStep step, Table t, ToolResult r,
      Map<String, String> vars, Conversation c) {
    Map<String, String> v = new HashMap<>(vars);
    if (!r.ok()) {
      String code = r.error().code();
      switch (code) {
        case "invalid_reference": {
          for (Map.Entry<String, String> ref : step.refs().entrySet()) {
            if (ref.getValue().startsWith("?")) {
              v.put("ref_entity", ctx.schema().table(ref.getValue().substring(1)).label());
              v.put("ref_id", ValueGenerator.render(step.arguments().get(ref.getKey())));
            }
          }
          break;
        }
        case "conflict": {
          for (String key : step.refs().keySet()) {
            if (key.startsWith("=")) {
              String col = key.substring(1);
              v.put("field", t.column(col).label());
              v.put("value", ValueGenerator.render(step.arguments().get(col)));
            }
          }
          break;
        }
        default:
          break;
      }
      return capitalize(bank.say(random, "assistant.error." + code, style, v));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> out = r.output() instanceof Map ? (Map<String, Object>) r.output()
        : Map.of();
    switch (step.action()) {
      case "create":
        v.put("id", ValueGenerator.render(out.get(t.primaryKey())));
        break;
      case "get":
        v.put("summary", summary(t, out, 4));
        break;
      case "search": {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) out.get("results");
        if (rows.isEmpty()) {
          return capitalize(bank.say(random, "assistant.confirm.search_none", style, v));
        }
        v.put("n", String.valueOf(rows.size()));
        List<String> each = new ArrayList<>();
        for (Map<String, Object> row : rows) {
          each.add(t.label() + " " + ValueGenerator.render(row.get(t.primaryKey())) + " ("
              + summary(t, row, 2) + ")");
        }
        v.put("summary", joinAnd(each));
        break;
      }
      case "update": {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Object> e : inColumnOrder(t, step.arguments()).entrySet()) {
          if (!e.getKey().equals(t.primaryKey())) {
            parts.add(t.column(e.getKey()).label() + " " + ValueGenerator.render(e.getValue()));
          }
        }
        v.put("values", joinAnd(parts));
        break;
      }
      default:
        break;
    }
    return capitalize(bank.say(random, "assistant.confirm." + step.action(), style, v));
  }

  private static String summary(Table t, Map<String, Object> row, int n) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Object> e : inColumnOrder(t, row).entrySet()) {
      if (parts.size() >= n) {
        break;
      }
      Column col = t.column(e.getKey());
      if (col != null && !e.getKey().equals(t.primaryKey()) && !col.isForeignKey()) {
        parts.add(col.label() + " " + ValueGenerator.render(e.getValue()));
      }
    }
    return parts.isEmpty() ? "no further details" : String.join(", ", parts);
  }

  private static String doneText(PlanStep step, Table t, ToolResult r) {
    @SuppressWarnings("unchecked")
    Map<String, Object> out = r.output() instanceof Map ? (Map<String, Object>) r.output()
        : Map.of();
    Object id = "create".equals(step.action()) ? out.get(t.primaryKey())
        : step.arguments().get(t.primaryKey());
    switch (step.action()) {
      case "create":
        return "created " + t.label() + " " + ValueGenerator.render(id);
      case "get":
        return "looked up " + t.label() + " " + ValueGenerator.render(id);
      case "search":
        return "searched the " + t.label() + " records";
      case "update":
        return "updated " + t.label() + " " + ValueGenerator.render(id);
      default:
        return "deleted " + t.label() + " " + ValueGenerator.render(id);
    }
  }

  /** What was done, as a sentence: "I created client X and updated quote Y." */
  private static String summary(List<String> done) {
    return done.isEmpty() ? "Nothing has been changed." : "I " + joinAnd(done) + ".";
  }

  private static List<String> labels(Table t, Map<String, Object> values) {
    List<String> out = new ArrayList<>();
    for (String k : values.keySet()) {
      Column c = t.column(k);
      out.add(c == null ? k : c.label());
    }
    return out;
  }

  private static String goal(Conversation c) {
    Object g = c.metadata().get("goal");
    String s = g == null ? "get some CRM work done" : String.valueOf(g).trim();
    if (s.endsWith(".")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  private static List<Integer> pickIndices(Random random, List<Integer> from, int n) {
    List<Integer> copy = new ArrayList<>(from);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(copy.remove(random.nextInt(copy.size())));
    }
    return out;
  }

  static String joinAnd(List<String> parts) {
    if (parts.isEmpty()) {
      return "";
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return String.join(", ", parts.subList(0, parts.size() - 1)) + " and "
        + parts.get(parts.size() - 1);
  }

  private static Turn turn(String user, List<ToolCall> calls, List<ToolResult> results,
      String reply) {
    return new Turn(capitalize(user), calls, results, new Turn.Response(capitalize(reply)));
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
