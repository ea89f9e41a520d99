package io.convoforge.family.tooluse.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.llm.LlmSession;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.RejectException;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Move;
import io.convoforge.family.tooluse.model.Plan;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.model.Turn;
import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Generator} that asks a model. The deterministic offline answerers lay down the
 * structure (the calls and the turns, one move each; handles bound to {@code Keys.created} keys;
 * calls executed on the in-memory store so tool results are real); the model checks the plan's
 * calls, writes the free-text argument values and rewrites every user and assistant line within
 * the turn's move, keeping its facts ({@link DraftFacts}). Each call goes through the core
 * structured call path ({@link LlmSession}: template, cache keyed per element, throttle,
 * retries, schema and semantic check, one re-ask, rejection with the raw answer).
 */
final class LlmGenerator implements Generator {
  private final ToolUseContext ctx;
  private final Generator scaffold;
  private final LlmSession session;

  LlmGenerator(ToolUseContext ctx, Generator scaffold, LlmSession session) {
    this.ctx = ctx;
    this.scaffold = scaffold;
    this.session = session;
  }

  @Override
  public Plan plan(Conversation c) throws RejectException {
    Plan plan = scaffold.plan(c);
    Map<String, String> vars = PromptVars.common(ctx, c);
    List<String> expected = new ArrayList<>();
    for (PlanStep s : plan.steps()) {
      expected.add(s.tool());
    }
    vars.put("workflow", String.join(" -> ", expected));
    StringBuilder calls = new StringBuilder();
    for (PlanStep s : plan.steps()) {
      calls.append(s.index() + 1).append(". ").append(s.tool()).append(" (")
          .append(s.role() == null ? PlanStep.WORKFLOW : s.role())
          .append(s.failing() ? ", fails: " + s.cause() : "").append(")\n");
    }
    vars.put("calls", calls.toString());
    StringBuilder tools = new StringBuilder();
    for (String t : new java.util.LinkedHashSet<>(expected)) {
      if (ctx.tools().containsKey(t)) {
        tools.append("- ").append(t).append(": ").append(ctx.tools().get(t).description())
            .append('\n');
      }
    }
    vars.put("tools", tools.toString());
    session.ask("plan", vars, c.id(), node -> {
      List<String> got = new ArrayList<>();
      node.path("steps").forEach(s -> got.add(s.path("tool").asText()));
      return got.equals(expected) ? List.of()
          : List.of("steps must call exactly " + expected + " in this order; got " + got);
    });
    return plan;
  }

  @Override
  public Conversation arguments(Conversation c) throws RejectException {
    Conversation out = scaffold.arguments(c)
        .withLineage("prompts", session.promptVersions())
        .withLineage("model", session.model());
    List<Map<String, Object>> fields = new ArrayList<>();
    Map<Integer, Map<String, Column>> editable = new TreeMap<>();
    for (PlanStep s : out.plan().steps()) {
      if (s.arguments() == null || !("create".equals(s.action()) || "update".equals(s.action()))) {
        continue;
      }
      Table t = ctx.schema().table(s.table());
      Map<String, Column> cols = new LinkedHashMap<>();
      Map<String, Object> current = new LinkedHashMap<>();
      for (Map.Entry<String, Object> a : s.arguments().entrySet()) {
        Column col = t == null ? null : t.column(a.getKey());
        if (col != null && freeText(t, col) && a.getValue() instanceof String) {
          cols.put(a.getKey(), col);
          current.put(a.getKey(), a.getValue());
        }
      }
      if (!cols.isEmpty()) {
        editable.put(s.index(), cols);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("index", s.index());
        f.put("tool", s.tool());
        f.put("table", s.table());
        f.put("values", current);
        f.put("limits", limits(cols));
        fields.add(f);
      }
    }
    if (fields.isEmpty()) {
      return out;
    }
    Map<String, String> vars = PromptVars.common(ctx, c);
    vars.put("fields", json(fields));
    JsonNode node = session.ask("args", vars, c.id(), n -> {
      List<String> errs = new ArrayList<>();
      for (JsonNode s : n.path("steps")) {
        Map<String, Column> cols = editable.get(s.path("index").asInt(-1));
        if (cols == null) {
          errs.add("step index " + s.path("index") + " is not one of " + editable.keySet());
          continue;
        }
        s.path("values").fields().forEachRemaining(e -> {
          Column col = cols.get(e.getKey());
          String v = e.getValue().asText();
          if (col == null) {
            errs.add("step " + s.path("index") + ": " + e.getKey() + " is not an editable field");
          } else if (col.maxLength() != null && v.length() > col.maxLength()
              || col.minLength() != null && v.length() < col.minLength()) {
            errs.add("step " + s.path("index") + ": " + e.getKey() + " must have "
                + limits(Map.of(e.getKey(), col)).get(e.getKey()));
          }
        });
      }
      return errs;
    });
    Map<Integer, JsonNode> byIndex = new TreeMap<>();
    node.path("steps").forEach(s -> byIndex.put(s.path("index").asInt(), s.path("values")));
    List<PlanStep> steps = new ArrayList<>();
    for (PlanStep s : out.plan().steps()) {
      JsonNode v = byIndex.get(s.index());
      if (v == null || s.arguments() == null) {
        steps.add(s);
        continue;
      }
      Map<String, Object> args = new LinkedHashMap<>(s.arguments());
      v.fields().forEachRemaining(e -> args.put(e.getKey(), e.getValue().asText()));
      steps.add(s.withArguments(args));
    }
    return out.withPlan(out.plan().withSteps(steps));
  }

  @Override
  public List<Turn> utterances(Conversation c) throws RejectException {
    List<Turn> draft = scaffold.utterances(c);
    List<Move> script = c.plan() == null ? null : c.plan().script();
    List<Map<String, Object>> turns = new ArrayList<>();
    for (int i = 0; i < draft.size(); i++) {
      Turn t = draft.get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("turn", i + 1);
      if (script != null && i < script.size()) {
        m.put("move", script.get(i).kind());
      }
      m.put("user_draft", t.user());
      m.put("tool_calls", t.expectedToolCalls());
      m.put("tool_results", t.toolResults());
      m.put("assistant_draft", t.responseText());
      turns.add(m);
    }
    Map<String, String> vars = PromptVars.common(ctx, c);
    vars.put("turn_count", String.valueOf(draft.size()));
    vars.put("turns", json(turns));
    Object cause = c.metadata().get("failure_cause");
    vars.put("failure_cause", cause == null ? "none" : String.valueOf(cause));
    JsonNode node = session.ask("utterances", vars, c.id(), n -> {
      if (n.path("turns").size() != draft.size()) {
        return List.of("turns must have exactly " + draft.size() + " items; got "
            + n.path("turns").size());
      }
      return DraftFacts.missing(draft, n.path("turns"));
    });
    List<Turn> out = new ArrayList<>();
    for (int i = 0; i < draft.size(); i++) {
      JsonNode t = node.path("turns").get(i);
      Turn d = draft.get(i);
      out.add(new Turn(t.path("user").asText(), d.expectedToolCalls(), d.toolResults(),
          new Turn.Response(t.path("assistant").asText())));
    }
    return out;
  }

  private static boolean freeText(Table t, Column col) {
    return col.isString() && !col.isForeignKey() && !col.name().equals(t.primaryKey())
        && col.enumValues() == null && col.format() == null && col.pattern() == null
        && !col.unique();
  }

  private static Map<String, String> limits(Map<String, Column> cols) {
    Map<String, String> out = new LinkedHashMap<>();
    cols.forEach((k, col) -> out.put(k, (col.minLength() == null ? 0 : col.minLength()) + ".."
        + (col.maxLength() == null ? "any" : col.maxLength()) + " characters"));
    return out;
  }

  private static String json(Object o) {
    try {
      return Json.MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    session.close();
    scaffold.close();
  }
}
