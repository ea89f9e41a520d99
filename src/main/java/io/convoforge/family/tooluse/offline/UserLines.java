package io.convoforge.family.tooluse.offline;

import io.convoforge.family.tooluse.gen.Naming;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.Move;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.recipe.FailureMix;
import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The user's line of each move, written before the move's calls run (so it knows only what was
 * said or returned earlier). Values are woven into the sentence; a record both sides know is
 * called by its name, any other by its key, which the user reads out (a wrong key exactly as
 * the failure's cause has it). Keys the user says become known to both sides.
 */
final class UserLines {
  private final Scene sc;
  private final List<Move> script;
  private final FailureLines failures;

  UserLines(Scene sc) {
    this.sc = sc;
    this.script = sc.c.plan().script();
    this.failures = new FailureLines(sc);
  }

  String write(int turn) {
    Move m = script.get(turn);
    Move prev = turn > 0 ? script.get(turn - 1) : null;
    Move next = turn + 1 < script.size() ? script.get(turn + 1) : null;
    switch (m.kind()) {
      case "request":
        return request(sc.step(m.calls().get(0)), m.detail());
      case "lookup":
      case "confirm_ask":
        return request(sc.step(m.step()), null);
      case "readback": {
        PlanStep s = sc.step(m.step());
        String wrong = next != null ? next.detail() : null;
        return request(s, null, wrongValue(s, wrong));
      }
      case "ask":
        return ask(sc.step(m.step()));
      case "provide_part": {
        PlanStep s = sc.step(m.step());
        Map<String, String> v = sc.vars(s);
        v.put("values", sc.weave(s, firstHalf(s)));
        mention(s);
        return sc.say("user.provide_part", v);
      }
      case "provide":
        return provide(sc.step(m.step()), m.detail(), prev);
      case "unavailable": {
        PlanStep s = sc.step(m.step());
        Map<String, Object> values = sc.userValues(s);
        values.remove(m.detail());
        Map<String, String> v = sc.vars(s);
        v.put("values", sc.weave(s, values));
        v.put("field", sc.table(s).column(m.detail()).label());
        mention(s);
        return sc.say("user.unavailable", v);
      }
      case "confirm": {
        PlanStep s = sc.step(m.step());
        Map<String, String> v = sc.vars(s);
        if (m.detail() != null) {
          Column col = sc.table(s).column(m.detail());
          v.put("field", col.label());
          v.put("value", ValueGenerator.render(s.arguments().get(col.name())));
          v.put("old", ValueGenerator.render(wrongValue(s, m.detail()).get(col.name())));
          return sc.say("user.confirm.correct", v);
        }
        return sc.say("user.confirm." + s.action(), v);
      }
      case "find":
      case "find_none":
        return find(sc.step(m.calls().get(0)), m.detail());
      case "check": {
        PlanStep k = sc.step(m.calls().get(0));
        Map<String, String> v = sc.vars(k);
        v.put("name", naming(k));
        return sc.say("user.check", v);
      }
      case "show": {
        PlanStep e = sc.step(m.calls().get(0));
        Map<String, String> v = sc.vars(e);
        Column col = sc.table(e).column(m.detail());
        v.put("field", col.label());
        v.put("value", ValueGenerator.render(e.arguments().get(col.name())));
        return sc.say("user.show_existing", v);
      }
      case "verify": {
        PlanStep s = sc.step(m.calls().get(0));
        Map<String, String> v = sc.vars(s);
        return sc.say("search".equals(s.action()) ? "user.verify_gone" : "user.verify", v);
      }
      case "follow_up":
        return followUp(sc.step(m.calls().get(0)), m.detail());
      case "fix": {
        PlanStep x = sc.step(m.calls().get(0));
        Table t = sc.table(x);
        Column col = ScriptPlanner.fixable(t);
        Map<String, String> v = sc.vars(x);
        v.put("field", col.label());
        v.put("value", ValueGenerator.render(x.arguments().get(col.name())));
        v.put("old", ValueGenerator.render(sc.rows.get(x.target()).get(col.name())));
        return sc.say("user.fix", v);
      }
      case "retry":
        return failures.retry(sc.step(m.calls().get(0)), m.detail());
      case "recap":
        return sc.say("user.recap", sc.vars());
      case "close":
        return close();
      default:
        throw new IllegalStateException("no user line for move " + m.kind());
    }
  }

  /** Asking for a step with its values (for a readback, some possibly said wrong). */
  private String request(PlanStep s, String cause) {
    return request(s, cause, null);
  }

  private String request(PlanStep s, String cause, Map<String, Object> said) {
    Map<String, String> v = sc.vars(s);
    Map<String, Object> values = said != null ? said : sc.userValues(s);
    if (s.target() != null) {
      v.put("ref", refOfTarget(s));
      values.remove(sc.table(s).primaryKey());
    }
    v.put("values", sc.weave(s, values));
    mention(s);
    String line = sc.say("user.request." + s.action(), v);
    if (FailureMix.STALE_RECORD.equals(cause)) {
      return sc.say("user.remembered", failures.badVars(s)) + " " + line;
    }
    if (FailureMix.EMPTY_SEARCH.equals(cause)) {
      return sc.say("user.try_id", failures.badVars(s)) + " " + line;
    }
    return line;
  }

  private String ask(PlanStep s) {
    Map<String, String> v = sc.vars(s);
    if ("update".equals(s.action())) {
      v.put("ref", refOfTarget(s));
      mention(s);
      return sc.say("user.ask.update", v);
    }
    return sc.say("user.ask.create", v);
  }

  private String provide(PlanStep s, String cause, Move prev) {
    Map<String, String> v = sc.vars(s);
    Map<String, Object> values = sc.userValues(s);
    if (FailureMix.VALUE_UNAVAILABLE.equals(cause) && prev != null
        && "unavailable".equals(prev.kind())) {
      Column col = sc.table(s).column(prev.detail());
      v.put("field", col.label());
      v.put("value", ValueGenerator.render(values.get(col.name())));
      return sc.say("user.standin", v);
    }
    if (prev != null && "provide_part".equals(prev.kind())) {
      firstHalf(s).keySet().forEach(values::remove);
    }
    if ("update".equals(s.action())) {
      values.remove(sc.table(s).primaryKey());
    }
    v.put("values", sc.weave(s, values));
    mention(s);
    return sc.say("user.provide", v);
  }

  private String find(PlanStep f, String detail) {
    Map<String, String> v = sc.vars(f);
    for (Map.Entry<String, String> r : f.refs().entrySet()) {
      if (!r.getKey().startsWith("=")) {
        // No name to search by: the records of the parent the user knows.
        v.put("entities", plural(sc.table(f).label()));
        v.put("ref", sc.tableOf(r.getValue()).label() + " " + sc.id(r.getValue()));
        sc.known.add(r.getValue());
        return sc.say("user.search_by_parent", v);
      }
    }
    v.put("name", naming(f));
    v.put("entity", sc.table(f).label());
    return sc.say("after_failure".equals(detail) ? "user.search_after" : "user.find", v);
  }

  private String followUp(PlanStep q, String detail) {
    Map<String, String> v = sc.vars();
    PlanStep about = q.about() == null ? null : sc.step(q.about());
    switch (detail) {
      case "parent": {
        String child = childOf(q.target(), about);
        v.put("ref", child == null ? "it" : sc.ref(child));
        v.put("entity", sc.tableOf(q.target()).label());
        return sc.say("user.follow_up.parent", v);
      }
      case "children": {
        String parent = q.refs().values().iterator().next();
        v.put("ref", sc.ref(parent));
        v.put("entity", plural(sc.table(q).label()));
        return sc.say("user.follow_up.children", v);
      }
      default: {
        Table t = sc.table(q);
        v.put("ref", sc.ref(q.target()));
        v.put("field", askedField(t, q).label());
        return sc.say("user.follow_up.field", v);
      }
    }
  }

  private String close() {
    Map<String, String> v = sc.vars();
    List<String> pending = sc.pending();
    v.put("pending", pending.isEmpty() ? "" : pending.get(0));
    if (sc.cause != null && sc.error != null && !retried()) {
      return sc.say("user.give_up." + sc.cause, v);
    }
    if (!pending.isEmpty()) {
      return sc.say("user.close_partial", v);
    }
    v.put("ref", lastRef());
    return sc.say("user.close", v);
  }

  private boolean retried() {
    return sc.c.plan().steps().stream().anyMatch(s -> "retry".equals(s.role()));
  }

  private String lastRef() {
    List<PlanStep> steps = sc.c.plan().steps();
    for (int i = steps.size() - 1; i >= 0; i--) {
      PlanStep s = steps.get(i);
      String h = s.creates() != null ? s.creates() : s.target();
      if (h != null && !h.startsWith(PlanState.MISSING) && sc.key(h) != null
          && sc.known.contains(h)) {
        return sc.ref(h);
      }
    }
    return "everything";
  }

  /** The target as the user says it: its name when known, else its key (a bad one as is). */
  private String refOfTarget(PlanStep s) {
    String h = s.target();
    if (h.startsWith(PlanState.MISSING) || h.startsWith(PlanState.TYPO)
        || !PlanState.tableOf(h).equals(s.table()) || !sc.known.contains(h)) {
      return sc.table(s).label() + " " + sc.id(h);
    }
    return sc.ref(h);
  }

  /** Keys the user reads out become known: the target's, and those of the references. */
  private void mention(PlanStep s) {
    if (real(s.target(), s.table())) {
      sc.known.add(s.target());
    }
    Table t = sc.table(s);
    s.refs().forEach((col, h) -> {
      if (!col.startsWith("=") && t.column(col) != null
          && real(h, t.column(col).references())) {
        sc.known.add(h);
      }
    });
  }

  /** A handle of a record of {@code table} (not a marker, not another kind of record). */
  private boolean real(String h, String table) {
    return h != null && !h.startsWith(PlanState.MISSING) && !h.startsWith(PlanState.TYPO)
        && PlanState.tableOf(h).equals(table) && sc.key(h) != null;
  }

  private Map<String, Object> firstHalf(PlanStep s) {
    Map<String, Object> all = sc.userValues(s);
    Map<String, Object> out = new LinkedHashMap<>();
    int n = (all.size() + 1) / 2;
    for (Map.Entry<String, Object> e : all.entrySet()) {
      if (out.size() >= n) {
        break;
      }
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /** The values as the user first says them, with {@code col} said wrong. */
  Map<String, Object> wrongValue(PlanStep s, String col) {
    Map<String, Object> values = sc.userValues(s);
    if (col != null && values.containsKey(col)) {
      values.put(col, sc.wrong(sc.table(s), sc.table(s).column(col), values.get(col)));
    }
    return values;
  }

  private String naming(PlanStep f) {
    List<String> parts = new ArrayList<>();
    for (Column col : Naming.columns(sc.table(f))) {
      Object v = f.arguments().get(col.name());
      if (v != null) {
        parts.add(ValueGenerator.render(v));
      }
    }
    if (parts.isEmpty()) {
      f.arguments().values().forEach(x -> parts.add(ValueGenerator.render(x)));
    }
    return String.join(" ", parts);
  }

  private String childOf(String parent, PlanStep about) {
    if (about == null) {
      return null;
    }
    return about.creates() != null ? about.creates() : about.target();
  }

  /**
   * The field a follow-up asks about: one the conversation has not mentioned, if any, never the
   * name the record is called by.
   */
  Column askedField(Table t, PlanStep q) {
    Map<String, Object> row = sc.rows.get(q.target());
    Column fallback = null;
    List<Column> naming = Naming.columns(t);
    for (Column col : t.nonKeyColumns().values()) {
      Object v = row == null ? null : row.get(col.name());
      if (v == null || col.isForeignKey() || naming.contains(col)) {
        continue;
      }
      if (fallback == null) {
        fallback = col;
      }
      if (!sc.wasSaid(ValueGenerator.render(v))) {
        return col;
      }
    }
    return fallback != null ? fallback : t.key();
  }

  static String plural(String label) {
    if (label.endsWith("y") && !label.endsWith("ey")) {
      return label.substring(0, label.length() - 1) + "ies";
    }
    if (label.endsWith("s") || label.endsWith("x") || label.endsWith("ch")) {
      return label + "es";
    }
    return label + "s";
  }
}
