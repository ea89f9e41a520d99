package io.convoforge.family.tooluse.offline;

import io.convoforge.core.model.RejectException;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.gen.MemoryStore;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Move;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.model.Turn;
import io.convoforge.family.tooluse.schema.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Writes the dialogue the plan's script describes, one turn per {@link Move}: the user's line
 * ({@link UserLines}, opening with the goal in the persona's style on the first turn), the
 * move's calls executed in a {@link MemoryStore} so results are real, and the assistant's reply
 * ({@link AssistantLines}) quoting those results or explaining the error. Every call must
 * behave as the plan intends (the failing one fails with its error, the others succeed), else
 * the element is rejected ({@code plan_inconsistent}); so is a plan without a script.
 */
final class OfflineUtterances {
  private final ToolUseContext ctx;
  private final ValueGenerator keys = new ValueGenerator();

  OfflineUtterances(ToolUseContext ctx) {
    this.ctx = ctx;
  }

  List<Turn> write(Conversation c, Random random) throws RejectException {
    if (c.plan() == null || c.plan().script() == null || c.plan().script().isEmpty()) {
      throw new RejectException("plan_inconsistent", "the plan has no script of turns");
    }
    Scene sc = new Scene(ctx, c, random);
    MemoryStore store = new MemoryStore(ctx.schema(), ctx.tools(), c.id(), keys);
    Map<String, String> handles = new LinkedHashMap<>();
    c.plan().bindings().forEach((h, k) -> {
      if (c.plan().seeds().containsKey(h)) {
        handles.put(c.plan().seeds().get(h) + ":" + ValueGenerator.render(k), h);
      }
    });
    for (Map.Entry<String, Map<String, Object>> e : c.initialEntities().entrySet()) {
      String table = e.getKey().substring(0, e.getKey().indexOf(':'));
      store.seed(table, e.getValue());
      String h = handles.get(e.getKey());
      if (h != null) {
        sc.rows.put(h, new LinkedHashMap<>(e.getValue()));
      }
    }
    UserLines user = new UserLines(sc);
    AssistantLines assistant = new AssistantLines(sc, user);
    List<Move> script = c.plan().script();
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < script.size(); i++) {
      Move m = script.get(i);
      String line = user.write(i);
      if (i == 0) {
        String open = sc.say("user.open", sc.vars()).strip();
        line = open + (".!?:,".indexOf(open.charAt(open.length() - 1)) >= 0 ? " " : ". ")
            + Scene.capitalize(line);
      }
      List<ToolCall> calls = new ArrayList<>();
      List<ToolResult> results = new ArrayList<>();
      for (int k : m.calls()) {
        PlanStep s = sc.step(k);
        ToolCall call = new ToolCall(s.tool(), s.arguments(), s.failure());
        ToolResult r = execute(store, s, call, sc);
        calls.add(call);
        results.add(r);
      }
      String reply = assistant.write(i);
      for (int k : m.calls()) {
        learn(sc, sc.step(k), sc.results.get(k));
      }
      line = Scene.sentences(line);
      reply = Scene.sentences(reply);
      sc.said.append(' ').append(line.toLowerCase(Locale.ROOT)).append(' ')
          .append(reply.toLowerCase(Locale.ROOT));
      turns.add(new Turn(line, calls, results, new Turn.Response(reply)));
    }
    return turns;
  }

  /** Runs one call and checks it behaves as the plan intends. */
  private ToolResult execute(MemoryStore store, PlanStep s, ToolCall call, Scene sc)
      throws RejectException {
    Table t = sc.table(s);
    if (s.target() != null && s.arguments() != null && s.arguments().get(t.primaryKey()) != null
        && !"search".equals(s.action())) {
      Map<String, Object> row = store.row(t.name(), s.arguments().get(t.primaryKey()));
      if (row != null) {
        sc.before.put(s.index(), new LinkedHashMap<>(row));
      }
    }
    ToolResult r = store.execute(call);
    boolean asIntended = s.failing() ? !r.ok() && s.failure().equals(r.error().code()) : r.ok();
    if (!asIntended) {
      throw new RejectException("plan_inconsistent", "step " + s.index() + " (" + s.tool()
          + ") " + (r.ok() ? "succeeded" : "failed with " + r.error().code())
          + " but the plan intends " + (s.failing() ? s.failure() : "success"));
    }
    sc.results.put(s.index(), r);
    if (!r.ok()) {
      sc.error = r.error().message();
      sc.cause = s.cause();
    }
    return r;
  }

  /** What both sides know after a call: its record's key and values, what was done. */
  private static void learn(Scene sc, PlanStep s, ToolResult r) {
    if (!r.ok()) {
      return;
    }
    Table t = sc.table(s);
    Map<String, Object> out = AssistantLines.output(r);
    switch (s.action()) {
      case "create": {
        Map<String, Object> row = new LinkedHashMap<>(s.arguments());
        row.put(t.primaryKey(), out.get(t.primaryKey()));
        sc.rows.put(s.creates(), row);
        sc.known.add(s.creates());
        String ref = sc.ref(s.creates());
        sc.done.add("created " + (ref.startsWith(t.label()) ? ref : t.label() + " " + ref));
        break;
      }
      case "update":
        sc.rows.computeIfAbsent(s.target(), k -> new LinkedHashMap<>()).putAll(out);
        sc.known.add(s.target());
        sc.done.add("updated " + sc.ref(s.target()));
        break;
      case "delete":
        sc.done.add("deleted " + sc.ref(s.target()));
        break;
      case "get":
        sc.rows.put(s.target(), new LinkedHashMap<>(out));
        sc.known.add(s.target());
        if (!sc.read.contains(sc.ref(s.target()))) {
          sc.read.add(sc.ref(s.target()));
        }
        break;
      default:
        if (s.target() != null && sc.key(s.target()) != null) {
          for (Map<String, Object> row : AssistantLines.rows(out)) {
            if (sc.key(s.target()).equals(row.get(t.primaryKey()))) {
              sc.rows.put(s.target(), new LinkedHashMap<>(row));
              sc.known.add(s.target());
            }
          }
        }
        break;
    }
  }
}
