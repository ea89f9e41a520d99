package io.convoforge.family.tooluse.offline;

import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.gen.Naming;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.Move;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The assistant's reply of each move, written after the move's calls ran: results reported with
 * the keys and values the store returned, questions when a value is missing or a change needs
 * confirming, and a failed call explained from its real error with what would fix it.
 */
final class AssistantLines {
  private final Scene sc;
  private final List<Move> script;
  private final UserLines user;

  AssistantLines(Scene sc, UserLines user) {
    this.sc = sc;
    this.script = sc.c.plan().script();
    this.user = user;
  }

  String write(int turn) {
    Move m = script.get(turn);
    Move prev = turn > 0 ? script.get(turn - 1) : null;
    Move next = turn + 1 < script.size() ? script.get(turn + 1) : null;
    switch (m.kind()) {
      case "request", "provide", "confirm", "retry", "fix":
        return report(m.calls().get(0));
      case "ask": {
        PlanStep s = sc.step(m.step());
        Map<String, String> v = sc.vars(s);
        if ("update".equals(s.action())) {
          return sc.say("assistant.ask.update", v);
        }
        // It asks for the required values; a reference to a record both know it fills itself.
        List<String> required = new ArrayList<>();
        List<String> links = new ArrayList<>();
        Table t = sc.table(s);
        for (String col : sc.userValues(s).keySet()) {
          String h = s.refs().get(col);
          if (h != null && sc.known.contains(h)) {
            links.add(sc.ref(h));
          } else if (t.isRequired(col)) {
            required.add(col);
          }
        }
        v.put("fields", sc.shuffledLabels(t, required.isEmpty() ? sc.userValues(s).keySet()
            : required));
        v.put("link", Scene.joinAnd(links));
        return sc.say(links.isEmpty() ? "assistant.ask.create" : "assistant.ask.create_linked",
            v);
      }
      case "provide_part": {
        PlanStep s = sc.step(m.step());
        Map<String, Object> rest = sc.userValues(s);
        int n = (rest.size() + 1) / 2;
        List<String> keys = new ArrayList<>(rest.keySet()).subList(n, rest.size());
        Map<String, String> v = sc.vars(s);
        v.put("fields", sc.shuffledLabels(sc.table(s), keys));
        return sc.say("assistant.ask_rest", v);
      }
      case "readback": {
        PlanStep s = sc.step(m.step());
        Map<String, String> v = sc.vars(s);
        // The name and the values most likely misheard (the corrected one among them).
        String wrong = next == null ? null : next.detail();
        Map<String, Object> said = user.wrongValue(s, wrong);
        Table t = sc.table(s);
        Map<String, Object> shown = new LinkedHashMap<>();
        for (String col : said.keySet()) {
          if (namingOf(t).contains(col) || col.equals(wrong)) {
            shown.put(col, said.get(col));
          }
        }
        for (Map.Entry<String, Object> e : said.entrySet()) {
          if (shown.size() >= 3) {
            break;
          }
          if (!t.column(e.getKey()).isForeignKey()) {
            shown.putIfAbsent(e.getKey(), e.getValue());
          }
        }
        v.put("values", sc.summary(t, Scene.inColumnOrder(t, shown), 6, Set.of()));
        return sc.say("assistant.readback." + s.action(), v);
      }
      case "confirm_ask": {
        PlanStep s = sc.step(m.step());
        return sc.say("assistant.confirm_delete", sc.vars(s));
      }
      case "lookup":
        return lookup(sc.step(m.calls().get(0)), sc.step(m.step()));
      case "find", "show":
        return found(m.calls().get(0), m.kind());
      case "check": {
        PlanStep k = sc.step(m.calls().get(0));
        Map<String, String> v = sc.vars(k);
        v.put("name", criteria(k));
        return sc.say("assistant.check", v);
      }
      case "find_none": {
        PlanStep f = sc.step(m.calls().get(0));
        Map<String, String> v = sc.vars(f);
        v.put("name", criteria(f));
        return sc.say("assistant.find_none", v);
      }
      case "verify":
        return verify(m.calls().get(0));
      case "follow_up":
        return followUp(m.calls().get(0), m.detail());
      case "unavailable": {
        PlanStep s = sc.step(m.step());
        Map<String, String> v = sc.vars(s);
        v.put("field", sc.table(s).column(m.detail()).label());
        return sc.say("assistant.unavailable", v);
      }
      case "recap": {
        Map<String, String> v = sc.vars();
        v.put("summary", done());
        return sc.say(sc.done.isEmpty() ? "assistant.recap_reads" : "assistant.recap", v);
      }
      case "close":
        return close(prev);
      default:
        throw new IllegalStateException("no reply for move " + m.kind());
    }
  }

  /** The result of one call, or the explanation of its error. */
  String report(int k) {
    PlanStep s = sc.step(k);
    ToolResult r = sc.results.get(k);
    if (!r.ok()) {
      return new FailureLines(sc).explain(s, r);
    }
    Table t = sc.table(s);
    Map<String, String> v = sc.vars(s);
    Map<String, Object> out = output(r);
    switch (s.action()) {
      case "create": {
        v.put("id", ValueGenerator.render(out.get(t.primaryKey())));
        String name = Naming.of(t, s.arguments());
        v.put("name", name == null ? "" : name);
        return sc.say(name == null ? "assistant.report.create" : "assistant.report.create_named",
            v);
      }
      case "get":
        v.put("summary", sc.some(t, out, 2, namingOf(t)));
        return sc.say("assistant.report.get", v);
      case "search":
        return searchReport(s, out);
      case "update": {
        Map<String, Object> changed = Scene.inColumnOrder(t, s.arguments());
        changed.remove(t.primaryKey());
        v.put("values", sc.summary(t, changed, 8, Set.of()));
        return sc.say("assistant.report.update", v);
      }
      default:
        return sc.say("assistant.report.delete", v);
    }
  }

  private String searchReport(PlanStep s, Map<String, Object> out) {
    Map<String, String> v = sc.vars(s);
    List<Map<String, Object>> rows = rows(out);
    v.put("criteria", criteria(s));
    if (rows.isEmpty()) {
      return sc.say("assistant.report.search_none", v);
    }
    v.put("n", String.valueOf(rows.size()));
    v.put("summary", list(sc.table(s), rows));
    v.put("entities", rows.size() == 1 ? sc.table(s).label()
        : UserLines.plural(sc.table(s).label()));
    return sc.say(rows.size() == 1 ? "assistant.report.search_one" : "assistant.report.search",
        v);
  }

  private String lookup(PlanStep l, PlanStep s) {
    Table t = sc.table(s);
    Map<String, Object> row = output(sc.results.get(l.index()));
    Map<String, String> v = sc.vars(s);
    if ("delete".equals(s.action())) {
      v.put("summary", sc.some(t, row, 2, namingOf(t)));
      return sc.say("assistant.lookup.delete", v);
    }
    Map<String, Object> changes = Scene.inColumnOrder(t, s.arguments());
    changes.remove(t.primaryKey());
    Map<String, Object> current = new LinkedHashMap<>();
    for (String col : changes.keySet()) {
      current.put(col, row.getOrDefault(col, "not set"));
    }
    v.put("current", sc.summary(t, current, 8, Set.of()));
    v.put("values", sc.summary(t, changes, 8, Set.of()));
    return sc.say("assistant.lookup.update", v);
  }

  private String found(int k, String kind) {
    PlanStep f = sc.step(k);
    if ("find".equals(kind) && f.refs().keySet().stream().anyMatch(c -> !c.startsWith("="))) {
      return searchReport(f, output(sc.results.get(k)));
    }
    Table t = sc.table(f);
    List<Map<String, Object>> rows = rows(output(sc.results.get(k)));
    Map<String, String> v = sc.vars(f);
    v.put("name", criteria(f));
    v.put("n", String.valueOf(rows.size()));
    if (rows.size() == 1) {
      Map<String, Object> row = rows.get(0);
      v.put("id", ValueGenerator.render(row.get(t.primaryKey())));
      List<String> skip = new ArrayList<>(namingOf(t));
      skip.addAll(f.arguments().keySet());
      v.put("summary", sc.some(t, row, 2, skip));
      String name = Naming.of(t, row);
      if ("show".equals(kind)) {
        v.put("name", name == null ? t.label() + " " + v.get("id") : name);
        return sc.say("assistant.show", v);
      }
      return sc.say("assistant.find.one", v);
    }
    v.put("summary", list(t, rows));
    return sc.say("assistant.find.many", v);
  }

  private String verify(int k) {
    PlanStep q = sc.step(k);
    Table t = sc.table(q);
    Map<String, Object> out = output(sc.results.get(k));
    Map<String, String> v = sc.vars(q);
    if ("search".equals(q.action())) {
      v.put("name", criteria(q));
      return sc.say(rows(out).isEmpty() ? "assistant.verify_gone" : "assistant.report.search",
          v);
    }
    // The values the verified step wrote come first: those are what the user wants to see.
    Map<String, Object> shown = new LinkedHashMap<>();
    PlanStep about = q.about() == null ? null : sc.step(q.about());
    if (about != null && about.arguments() != null && q.target().equals(about.target() != null
        ? about.target() : about.creates())) {
      for (String col : Scene.inColumnOrder(t, about.arguments()).keySet()) {
        if (!col.equals(t.primaryKey()) && out.containsKey(col)) {
          shown.put(col, out.get(col));
        }
      }
    }
    String rest = shown.size() >= 2 ? "" : sc.some(t, out, 2 - shown.size(),
        concat(namingOf(t), shown.keySet()));
    String first = shown.isEmpty() ? "" : sc.summary(t, shown, 4, Set.of());
    v.put("summary", first.isEmpty() ? rest : rest.isEmpty() || rest.startsWith("no further")
        ? first : first + ", " + rest);
    return sc.say("assistant.verify", v);
  }

  private String followUp(int k, String detail) {
    PlanStep q = sc.step(k);
    Table t = sc.table(q);
    Map<String, Object> out = output(sc.results.get(k));
    Map<String, String> v = sc.vars(q);
    switch (detail) {
      case "parent":
        v.put("summary", sc.some(t, out, 2, namingOf(t)));
        v.put("name", Naming.of(t, out) == null ? t.label() + " " + v.get("id")
            : Naming.of(t, out) + " (" + v.get("id") + ")");
        return sc.say("assistant.follow_up.parent", v);
      case "children": {
        List<Map<String, Object>> rows = rows(out);
        String parent = q.refs().values().iterator().next();
        v.put("ref", sc.ref(parent));
        v.put("entities", UserLines.plural(t.label()));
        v.put("n", String.valueOf(rows.size()));
        v.put("summary", list(t, rows));
        return sc.say(rows.isEmpty() ? "assistant.follow_up.children_none"
            : "assistant.follow_up.children", v);
      }
      default: {
        Column col = user.askedField(t, q);
        v.put("field", col.label());
        v.put("value", ValueGenerator.render(out.get(col.name())));
        return sc.say("assistant.follow_up.field", v);
      }
    }
  }

  private static List<String> concat(List<String> a, Collection<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static List<String> namingOf(Table t) {
    return Naming.columns(t).stream().map(Column::name).toList();
  }

  private String close(Move prev) {
    Map<String, String> v = sc.vars();
    v.put("summary", done());
    List<String> pending = sc.pending();
    v.put("pending", pending.isEmpty() ? "" : pending.get(0));
    boolean recapped = prev != null && "recap".equals(prev.kind());
    if (sc.error != null && !sc.c.plan().steps().stream().anyMatch(
        s -> "retry".equals(s.role()))) {
      return sc.say(sc.done.isEmpty() ? "assistant.close_failure_nothing"
          : "assistant.close_failure", v);
    }
    if (!pending.isEmpty()) {
      return sc.say("assistant.close_pending", v);
    }
    return sc.say(recapped || sc.done.isEmpty() || sc.random.nextDouble() < 0.7
        ? "assistant.close_short" : "assistant.close", v);
  }

  /** "I created client Acme (CL-000123) and updated quote Q-000456." */
  private String done() {
    if (sc.done.isEmpty()) {
      return sc.read.isEmpty() ? "nothing has been changed"
          : "I looked up " + Scene.joinAnd(sc.read) + " and changed nothing";
    }
    return "I " + Scene.joinAnd(sc.done);
  }

  private String criteria(PlanStep s) {
    List<String> parts = new ArrayList<>();
    Table t = sc.table(s);
    List<Column> naming = Naming.columns(t);
    boolean byName = !naming.isEmpty() && s.arguments().keySet().equals(
        new java.util.HashSet<>(naming.stream().map(Column::name).toList()));
    for (Map.Entry<String, Object> e : Scene.inColumnOrder(t, s.arguments()).entrySet()) {
      parts.add(byName ? ValueGenerator.render(e.getValue())
          : t.column(e.getKey()).label() + " " + ValueGenerator.render(e.getValue()));
    }
    return byName ? String.join(" ", parts) : Scene.joinAnd(parts);
  }

  private String list(Table t, List<Map<String, Object>> rows) {
    List<String> each = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      String name = Naming.of(t, row);
      String id = ValueGenerator.render(row.get(t.primaryKey()));
      each.add(name != null ? name + " (" + id + ")"
          : t.label() + " " + id + " (" + sc.summary(t, row, 1, Set.of()) + ")");
    }
    return Scene.joinAnd(each);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> output(ToolResult r) {
    return r != null && r.output() instanceof Map ? (Map<String, Object>) r.output() : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rows(Map<String, Object> out) {
    return out.get("results") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }
}
