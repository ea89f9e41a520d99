package io.convoforge.family.tooluse.offline;

import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.recipe.FailureMix;
import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import java.util.List;
import java.util.Map;

/**
 * What is said around a failure: the assistant's explanation of the error (the API's message,
 * what it means for the cause, what would fix it, what is now on hold), the bad key as the user
 * reads it out, and the user's retry with the right key or value.
 */
final class FailureLines {
  private final Scene sc;

  FailureLines(Scene sc) {
    this.sc = sc;
  }

  /** The error as the API gave it, what it means for this cause, and what would fix it. */
  String explain(PlanStep s, ToolResult r) {
    Map<String, String> v = sc.vars(s);
    v.put("error", r.error().message());
    Table t = sc.table(s);
    String bad = null;
    if (s.target() != null && isBad(s.target(), t.name())) {
      bad = s.target();
      v.put("id", ValueGenerator.render(s.arguments().get(t.primaryKey())));
    }
    for (Map.Entry<String, String> ref : s.refs().entrySet()) {
      String h = ref.getValue();
      if (ref.getKey().startsWith("=")) {
        Column col = t.column(ref.getKey().substring(1));
        v.put("field", col.label());
        v.put("value", ValueGenerator.render(s.arguments().get(col.name())));
      } else if (t.column(ref.getKey()) != null
          && isBad(h, t.column(ref.getKey()).references())) {
        bad = h;
        v.put("entity", sc.ctx.schema().table(t.column(ref.getKey()).references()).label());
        v.put("id", ValueGenerator.render(s.arguments().get(ref.getKey())));
      }
    }
    String real = bad != null && bad.startsWith(PlanState.TYPO) ? bad.substring(1) : null;
    String cause = s.cause() == null ? "" : s.cause();
    String path = "assistant.error." + cause;
    if (FailureMix.TYPO_ID.equals(cause) && real != null && sc.wasSaid(sc.id(real))) {
      v.put("real", sc.id(real));
      path = "assistant.error.typo_id_suggest";
    }
    if (!sc.bank.has(path)) {
      path = "assistant.error.any";
    }
    String line = sc.say(path, v);
    List<String> pending = sc.pending();
    if (!pending.isEmpty()) {
      Map<String, String> p = sc.vars();
      p.put("pending", pending.get(0));
      line = line + " " + sc.say("assistant.skipped", p);
    }
    return line;
  }

  /** A marker, or a record of another table than the column expects. */
  private static boolean isBad(String h, String table) {
    return h.startsWith(PlanState.MISSING) || h.startsWith(PlanState.TYPO)
        || !PlanState.tableOf(h).equals(table);
  }

  Map<String, String> badVars(PlanStep s) {
    Map<String, String> v = sc.vars(s);
    String bad = s.target();
    for (Map.Entry<String, String> r : s.refs().entrySet()) {
      if (r.getValue().startsWith(PlanState.MISSING)) {
        bad = r.getValue();
      }
    }
    v.put("entity", sc.tableOf(bad).label());
    v.put("id", sc.id(bad));
    return v;
  }

  String retry(PlanStep r, String cause) {
    PlanStep failed = sc.step(r.about());
    Map<String, String> v = sc.vars(r);
    String handle;
    String bad;
    if (r.target() != null && !r.target().equals(failed.target())) {
      handle = r.target();
      bad = failed.target();
    } else {
      String col = refColumn(failed, r);
      handle = col != null ? r.refs().get(col) : r.creates() != null ? r.creates() : r.target();
      bad = col != null ? failed.refs().get(col) : null;
    }
    v.put("id", sc.id(handle));
    v.put("ref", sc.ref(handle));
    switch (cause) {
      case FailureMix.TYPO_ID:
        return sc.say(sc.wasSaid(sc.id(handle)) ? "user.retry.accept" : "user.retry.typo", v);
      case FailureMix.WRONG_KIND: {
        v.put("other", sc.tableOf(bad).label());
        return sc.say("user.retry.wrong_kind", v);
      }
      case FailureMix.DUPLICATE_VALUE: {
        Table t = sc.table(r);
        for (Column col : t.nonKeyColumns().values()) {
          Object a = r.arguments().get(col.name());
          if (col.unique() && a != null && !a.equals(failed.arguments().get(col.name()))) {
            v.put("field", col.label());
            v.put("value", ValueGenerator.render(a));
          }
        }
        return sc.say("user.retry.duplicate", v);
      }
      default:
        return sc.say("user.retry.found", v);
    }
  }

  private static String refColumn(PlanStep failed, PlanStep retry) {
    for (Map.Entry<String, String> e : retry.refs().entrySet()) {
      if (!e.getValue().equals(failed.refs().get(e.getKey()))) {
        return e.getKey();
      }
    }
    return null;
  }
}
