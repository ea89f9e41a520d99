package io.convoforge.backend.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import io.convoforge.backend.Generator;
import io.convoforge.model.Conversation;
import io.convoforge.model.Json;
import io.convoforge.model.Judgement;
import io.convoforge.model.Plan;
import io.convoforge.model.PlanStep;
import io.convoforge.model.Turn;
import io.convoforge.recipe.Task;
import io.convoforge.schema.Column;
import io.convoforge.schema.JsonSchemas;
import io.convoforge.schema.Table;
import io.convoforge.stages.RejectException;
import io.convoforge.stages.StageContext;
import io.convoforge.util.Seeds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Generator} that asks a model. The deterministic offline backend lays down the
 * structure (handles bound to {@code Keys.created} keys, calls executed on the in-memory store so
 * tool results are real); the model checks the plan, writes the free-text argument values, writes
 * every user and assistant line, and judges naturalness and faithfulness. Each call renders the
 * stage's template, sends its output schema, validates the answer, re-asks once with the
 * violations, and otherwise throws {@link RejectException} with the raw answer.
 *
 * <p>Every call goes through the response cache, then the shard's {@link Throttle}; 429s back off
 * by Retry-After (or exponentially) and halve concurrency, 5xx and timeouts back off
 * exponentially with jitter, both up to {@code max_attempts}, then {@code llm_unavailable}.
 */
final class LlmGenerator implements Generator {
  private final StageContext ctx;
  private final LlmBackend backend;
  private final Generator scaffold;
  private final LlmClient client;
  private final ResponseCache cache;
  private final CallMeter meter;

  LlmGenerator(StageContext ctx, LlmBackend backend, Generator scaffold, LlmClient client,
      String stage) {
    this.ctx = ctx;
    this.backend = backend;
    this.scaffold = scaffold;
    this.client = client;
    this.cache = backend.settings().cacheEnabled()
        ? new ResponseCache(backend.settings().cacheDir()) : null;
    this.meter = new CallMeter(stage);
  }

  @Override
  public Plan plan(Conversation c) throws RejectException {
    Plan plan = scaffold.plan(c);
    Task task = ctx.tasks().get(c.taskId());
    Map<String, String> vars = common(c);
    List<String> expected = new ArrayList<>();
    for (PlanStep s : plan.steps()) {
      expected.add(s.tool());
    }
    vars.put("workflow", String.join(" -> ", expected));
    StringBuilder tools = new StringBuilder();
    for (String t : task.workflow()) {
      if (ctx.tools().containsKey(t)) {
        tools.append("- ").append(t).append(": ").append(ctx.tools().get(t).description())
            .append('\n');
      }
    }
    vars.put("tools", tools.toString());
    ask("plan", c, vars, node -> {
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
        .withLineage("prompts", backend.prompts().versions())
        .withLineage("model", backend.settings().model("args"));
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
    Map<String, String> vars = common(c);
    vars.put("fields", json(fields));
    JsonNode node = ask("args", c, vars, n -> {
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
    List<Map<String, Object>> turns = new ArrayList<>();
    for (int i = 0; i < draft.size(); i++) {
      Turn t = draft.get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("turn", i + 1);
      m.put("user_draft", t.user());
      m.put("tool_calls", t.expectedToolCalls());
      m.put("tool_results", t.toolResults());
      m.put("assistant_draft", t.responseText());
      turns.add(m);
    }
    Map<String, String> vars = common(c);
    vars.put("turn_count", String.valueOf(draft.size()));
    vars.put("turns", json(turns));
    JsonNode node = ask("utterances", c, vars, n -> n.path("turns").size() == draft.size()
        ? List.of()
        : List.of("turns must have exactly " + draft.size() + " items; got "
            + n.path("turns").size()));
    List<Turn> out = new ArrayList<>();
    for (int i = 0; i < draft.size(); i++) {
      JsonNode t = node.path("turns").get(i);
      Turn d = draft.get(i);
      out.add(new Turn(t.path("user").asText(), d.expectedToolCalls(), d.toolResults(),
          new Turn.Response(t.path("assistant").asText())));
    }
    return out;
  }

  @Override
  public Map<String, Judgement.Criterion> judge(Conversation c) throws RejectException {
    Map<String, String> vars = common(c);
    vars.put("turns", json(c.turns()));
    JsonNode node = ask("judge", c, vars, n -> List.of());
    Map<String, Judgement.Criterion> out = new TreeMap<>();
    node.fields().forEachRemaining(e -> out.put("llm_" + e.getKey(),
        new Judgement.Criterion(e.getValue().path("passed").asBoolean(),
            e.getValue().path("passed").asBoolean() ? null
                : e.getValue().path("detail").asText(""))));
    return out;
  }

  /** A semantic check beyond the JSON Schema: returns violations, empty when the answer is fine. */
  interface Check {
    List<String> violations(JsonNode answer);
  }

  /**
   * Renders the stage's prompt, calls, validates against the output schema and {@code check};
   * re-asks once with the violations; else rejects with the raw answer.
   */
  JsonNode ask(String stage, Conversation c, Map<String, String> vars, Check check)
      throws RejectException {
    Prompts.Template t = backend.prompts().get(stage);
    LlmSettings s = backend.settings();
    JsonNode schemaNode = t.schemaNode();
    LlmRequest req = new LlmRequest(stage, s.model(stage), s.temperature(stage), s.topP(stage),
        s.maxTokens(stage), t.system(), List.of(t.render(vars)), "convoforge_" + stage,
        schemaNode);
    Schema schema = JsonSchemas.compile(schemaNode);
    String reason = null;
    List<String> errors = List.of();
    LlmReply reply = null;
    for (int round = 0; round < 2; round++) {
      reply = call(c, req);
      JsonNode node = null;
      if (reply.truncated()) {
        reason = "llm_truncated";
        errors = List.of("the answer was cut off at the output token limit (finish_reason "
            + reply.finishReason() + "); answer more briefly");
      } else {
        try {
          node = Json.MAPPER.readTree(reply.text());
          if (node == null || node.isMissingNode()) {
            throw new IOException("empty answer");
          }
          errors = new ArrayList<>(JsonSchemas.violations(schema, node));
          reason = "llm_schema_invalid";
          if (errors.isEmpty()) {
            errors = check.violations(node);
            reason = "llm_inconsistent";
          }
        } catch (IOException e) {
          reason = "llm_invalid_json";
          errors = List.of("not valid JSON: " + firstLine(e.getMessage()));
        }
      }
      if (errors.isEmpty()) {
        if (round > 0) {
          meter.repaired.inc();
        }
        return node;
      }
      req = req.followUp(reply.text(), "Your answer does not conform:\n- "
          + String.join("\n- ", errors)
          + "\nAnswer again with only JSON that conforms to the schema.");
    }
    throw new RejectException(reason, stage + ": " + String.join("; ", errors), reply.text());
  }

  /** Cache, then throttle and call with retries. */
  private LlmReply call(Conversation c, LlmRequest req) throws RejectException {
    String key = cache == null ? null
        : ResponseCache.key(backend.provider(), backend.settings().baseUrl(), req);
    if (cache != null) {
      LlmReply hit = cache.get(key);
      if (hit != null) {
        meter.cacheHits.inc();
        return hit;
      }
    }
    LlmSettings s = backend.settings();
    Throttle throttle = Throttle.forRun(ctx.runId(), s, backend.shardOf(c.id()));
    long est = req.promptChars() / 4 + (req.maxTokens() == null ? 1024 : req.maxTokens());
    LlmReply reply;
    try {
      reply = CallLoop.run(s, throttle, meter, est, () -> client.call(req),
          r -> r.tokensIn() + r.tokensOut());
    } catch (LlmException e) {
      throw new RejectException(e.kind() == LlmException.Kind.PERMANENT ? "llm_error"
          : "llm_unavailable", req.stage() + ": " + e.getMessage());
    }
    meter.tokens(reply, s.price(req.stage(), "input"), s.price(req.stage(), "output"));
    if (cache != null) {
      try {
        cache.put(key, reply);
      } catch (IOException e) {
        meter.cacheErrors.inc();
      }
    }
    return reply;
  }

  private Map<String, String> common(Conversation c) {
    Map<String, String> v = new LinkedHashMap<>();
    Task task = ctx.tasks().get(c.taskId());
    v.put("task_id", c.taskId());
    v.put("task_name", task == null ? "" : task.name());
    v.put("task_description", task == null ? "" : task.description());
    v.put("outcome", c.outcome());
    v.put("persona", c.persona() == null ? "{}" : json(c.persona()));
    v.put("seed", String.valueOf(Seeds.of(ctx.seed(), c.id(), "llm")));
    return v;
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

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  public void close() {
    client.close();
    scaffold.close();
  }
}
