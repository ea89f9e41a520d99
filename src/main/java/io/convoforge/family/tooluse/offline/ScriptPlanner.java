package io.convoforge.family.tooluse.offline;

import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.gen.Naming;
import io.convoforge.family.tooluse.model.Move;
import io.convoforge.family.tooluse.model.Plan;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import io.convoforge.family.tooluse.schema.ToolSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Composes one conversation's calls and turns from its workflow. Each workflow step becomes one
 * to three turns chosen at random: a create is asked for with its values, or the assistant asks
 * for them (sometimes over two turns), or reads them back for confirmation (and the user may
 * correct one); an update is preceded by reading the record and confirming, or asked for
 * directly; a delete always confirms first. A record the user names instead of giving its key
 * is searched for by name first; before creating a named record the user may check it is not
 * there already (a search that finds nothing). After a step, the user may ask to verify it (a read whose
 * result is reported), ask a follow-up question (a read of its parent, its children or the
 * record), or correct a value just saved (an update). A failing step and what the user does
 * next come from {@link FailureScript}. Rarely, a recap. The last turn closes. When the turns
 * fall short of the recipe's minimum, verifications and follow-up questions on records of the
 * conversation are added before the close; the planner decides what to do with a script still
 * outside the range.
 *
 * <p>{@code bias} scales the chance of every optional move (re-planning a script that was too
 * long or too short). One instance per attempt; not thread-safe.
 */
final class ScriptPlanner {
  static final double P_FIND = 0.35;
  static final double P_VERIFY = 0.25;
  static final double P_FIX = 0.10;
  static final double P_FOLLOW = 0.22;
  static final double P_RECAP = 0.05;
  static final double P_CHECK = 0.18;

  final ToolUseContext ctx;
  final Random random;
  final double bias;
  final int minTurns;
  final PlanState s;
  final List<PlanStep> steps = new ArrayList<>();
  final List<Move> script = new ArrayList<>();
  /** (move kind, handle) pairs used, so no read is asked twice. */
  private final Set<String> used = new HashSet<>();
  /** Handles created or changed in the conversation (what a verification reads). */
  final List<String> changed = new ArrayList<>();

  ScriptPlanner(ToolUseContext ctx, Random random, double bias, int minTurns) {
    this.ctx = ctx;
    this.random = random;
    this.bias = bias;
    this.minTurns = minTurns;
    this.s = new PlanState(ctx.schema());
  }

  boolean chance(double p) {
    return random.nextDouble() < Math.min(0.95, p * bias);
  }

  Table table(String name) {
    return ctx.schema().table(name);
  }

  /** Adds a step at the next index and returns the index. */
  int add(String tool, String action, String table, Map<String, String> refs, String target,
      String creates, String failure, String role, String cause, Integer about) {
    steps.add(new PlanStep(steps.size(), tool, action, table, refs, target, creates, failure,
        null, role, cause, about));
    return steps.size() - 1;
  }

  int read(String action, String handle, Map<String, String> refs, String table, String role,
      Integer about) {
    String t = table != null ? table : PlanState.tableOf(handle);
    String tool = action + "_" + table(t).snakeName();
    return add(tool, action, t, refs, handle, null, null, role, null, about);
  }

  Plan compose(List<ToolSpec> specs, int failIndex, Causes.Option cause) {
    int lastExecuted = specs.size() - 1;
    for (int i = 0; i < specs.size(); i++) {
      ToolSpec spec = specs.get(i);
      Table t = table(spec.table());
      Map<String, String> refs = new LinkedHashMap<>();
      String target = null;
      String creates = null;
      if ("create".equals(spec.action())) {
        for (Column fk : t.foreignKeys()) {
          String latest = s.latest(fk.references());
          if (t.isRequired(fk.name()) || (latest != null && random.nextDouble() < 0.7)) {
            refs.put(fk.name(), latest != null ? latest : s.seed(fk.references(), random, false));
          }
        }
        creates = s.newHandle(t.name());
      } else {
        target = s.latest(t.name());
        if (target == null) {
          target = s.seed(t.name(), random, false);
        }
      }
      if (i == failIndex) {
        new FailureScript(this).compose(cause, spec, t, refs, target, creates);
        lastExecuted = i;
        break;
      }
      work(spec, t, refs, target, creates);
    }
    for (int i = lastExecuted + 1; i < specs.size(); i++) {
      ToolSpec spec = specs.get(i);
      add(spec.name(), spec.action(), spec.table(), Map.of(), null, null, null, PlanStep.PENDING, null,
          null);
    }
    fill();
    recap();
    script.add(new Move("close", List.of(), null, null));
    return new Plan(steps, s.seeds, s.seedRefs, null, script);
  }

  /** The turns of a workflow step that succeeds, and what may follow it. */
  private void work(ToolSpec spec, Table t, Map<String, String> refs, String target,
      String creates) {
    String subject = target != null ? target : seedRef(refs);
    maybeFind(subject, spec.action());
    // Whatever the step names, the user has now said (its key, or its name when found).
    refs.values().forEach(s.named::add);
    String role = PlanStep.WORKFLOW;
    switch (spec.action()) {
      case "create": {
        maybeCheck(t);
        int w = add(spec.name(), "create", t.name(), refs, null, creates, null, role, null, null);
        createTurns(w, t);
        s.add(t.name(), creates, refs);
        s.named.add(creates);
        changed.add(creates);
        after(creates, w, true, !corrected());
        break;
      }
      case "update": {
        boolean lookedUp = !script.isEmpty() && lastRead(target);
        if (!lookedUp && chance(0.5)) {
          int l = read("get", target, Map.of(), null, "lookup", steps.size() + 1);
          int w = add(spec.name(), "update", t.name(), refs, target, null, null, role, null, null);
          script.add(Move.of("lookup", w, l));
          script.add(Move.of("confirm", w, w));
        } else {
          int w = add(spec.name(), "update", t.name(), refs, target, null, null, role, null, null);
          if (random.nextDouble() < 0.6) {
            script.add(Move.of("request", w, w));
          } else {
            script.add(Move.of("ask", w));
            script.add(Move.of("provide", w, w));
          }
        }
        s.named.add(target);
        changed.add(target);
        after(target, steps.size() - 1, true, false);
        break;
      }
      case "delete": {
        if (random.nextDouble() < 0.65) {
          int l = read("get", target, Map.of(), null, "lookup", steps.size() + 1);
          int w = add(spec.name(), "delete", t.name(), refs, target, null, null, role, null, null);
          script.add(Move.of("lookup", w, l));
          script.add(Move.of("confirm", w, w));
        } else {
          int w = add(spec.name(), "delete", t.name(), refs, target, null, null, role, null, null);
          script.add(Move.of("confirm_ask", w));
          script.add(Move.of("confirm", w, w));
        }
        int w = steps.size() - 1;
        s.delete(target);
        changed.remove(target);
        if (Naming.always(t) && chance(P_VERIFY)) {
          int v = read("search", target, Map.of(), null, "verify", w);
          script.add(Move.of("verify", w, v));
        }
        break;
      }
      default: {
        int w = add(spec.name(), spec.action(), t.name(), refs, target, null, null, role, null,
            null);
        script.add(Move.of("request", w, w));
        s.named.add(target);
        after(target, w, false, false);
        break;
      }
    }
  }

  /** "Do we already have a client called Acme?" before a create: a search finding nothing. */
  void maybeCheck(Table t) {
    if (Naming.always(t) && chance(P_CHECK)) {
      int k = add("search_" + t.snakeName(), "search", t.name(), Map.of(), null, null, null,
          "check", null, steps.size() + 1);
      script.add(Move.of("check", steps.size(), k));
    }
  }

  /** The turns that ask for and make a create {@code w} (one to three). */
  void createTurns(int w, Table t) {
    double r = random.nextDouble();
    if (r < 0.30) {
      script.add(Move.of("request", w, w));
    } else if (r < 0.55 || r < 0.70 && requiredValues(t) < 2) {
      script.add(Move.of("ask", w));
      script.add(Move.of("provide", w, w));
    } else if (r < 0.70) {
      script.add(Move.of("ask", w));
      script.add(Move.of("provide_part", w));
      script.add(Move.of("provide", w, w));
    } else {
      script.add(Move.of("readback", w));
      Column fixable = fixable(t);
      Move confirm = Move.of("confirm", w, w);
      script.add(fixable != null && random.nextBoolean() ? confirm.withDetail(fixable.name())
          : confirm);
    }
  }

  /** True when the last turn corrected a value read back (no fix needed after it). */
  private boolean corrected() {
    Move last = script.get(script.size() - 1);
    return "confirm".equals(last.kind()) && last.detail() != null;
  }

  /** A search by name before a step whose record is a seed the user has not named yet. */
  void maybeFind(String subject, String action) {
    if (subject == null || "search".equals(action) || !s.isSeed(subject)
        || s.named.contains(subject)
        || Naming.columns(table(PlanState.tableOf(subject))).isEmpty() || !chance(P_FIND)) {
      return;
    }
    int f = read("search", subject, Map.of(), null, "find", steps.size() + 1);
    script.add(Move.of("find", steps.size(), f));
    s.named.add(subject);
  }

  /** The first seed a create refers to, or null. */
  String seedRef(Map<String, String> refs) {
    for (String h : refs.values()) {
      if (s.isSeed(h)) {
        return h;
      }
    }
    return null;
  }

  private boolean lastRead(String target) {
    Move last = script.get(script.size() - 1);
    for (int c : last.calls()) {
      PlanStep st = steps.get(c);
      if ("get".equals(st.action()) && target.equals(st.target())) {
        return true;
      }
    }
    return false;
  }

  /** Optional work after a step on {@code handle}: verify, fix a value, a follow-up. */
  void after(String handle, int about, boolean verify, boolean fix) {
    if (verify && chance(P_VERIFY) && used.add("verify|" + handle)) {
      int v = read("get", handle, Map.of(), null, "verify", about);
      script.add(Move.of("verify", about, v));
    }
    Table t = table(PlanState.tableOf(handle));
    if (fix && fixable(t) != null && chance(P_FIX)) {
      int x = add("update_" + t.snakeName(), "update", t.name(), Map.of(), handle, null, null,
          "fix", null, about);
      script.add(Move.of("fix", about, x));
    }
    if (chance(P_FOLLOW)) {
      followUp(handle, about);
    }
  }

  /** A question about {@code handle} answered by a read: its parent, its children, a field. */
  boolean followUp(String handle, Integer about) {
    List<String[]> options = new ArrayList<>();
    s.refsOf.getOrDefault(handle, Map.of()).forEach((col, parent) -> {
      if (s.exists(parent)) {
        options.add(new String[] {"parent", parent, null});
      }
    });
    String table = PlanState.tableOf(handle);
    for (Table child : ctx.schema().tables().values()) {
      for (Column fk : child.foreignKeys()) {
        if (fk.references().equals(table)) {
          options.add(new String[] {"children", child.name(), fk.name()});
        }
      }
    }
    if (script.isEmpty() || !lastRead(handle)) {
      // A question about a field, unless the record was read in the turn before.
      options.add(new String[] {"field", handle, null});
    }
    options.removeIf(o -> used.contains("follow_up|" + handle + "|" + o[0] + "|" + o[1]));
    if (options.isEmpty()) {
      return false;
    }
    String[] o = options.get(random.nextInt(options.size()));
    used.add("follow_up|" + handle + "|" + o[0] + "|" + o[1]);
    int q = switch (o[0]) {
      case "parent" -> read("get", o[1], Map.of(), null, "follow_up", about);
      case "children" -> read("search", null, Map.of(o[2], handle), o[1], "follow_up", about);
      default -> read("get", handle, Map.of(), null, "follow_up", about);
    };
    script.add(Move.of("follow_up", about, q).withDetail(o[0]));
    return true;
  }

  /** Adds verifications and follow-ups before the close until the minimum is reached. */
  private void fill() {
    List<String> known = new ArrayList<>();
    for (String h : s.named) {
      if (s.exists(h)) {
        known.add(h);
      }
    }
    known.sort(null);
    int guard = 0;
    while (script.size() + 1 < minTurns && !known.isEmpty() && guard++ < 20) {
      String h = known.get(random.nextInt(known.size()));
      Integer about = lastStepOf(h);
      if (changed.contains(h) && used.add("verify|" + h)) {
        int v = read("get", h, Map.of(), null, "verify", about);
        script.add(Move.of("verify", about, v));
      } else if (!followUp(h, about)) {
        known.remove(h);
      }
    }
  }

  /** The last step that acted on {@code h} (created, read or changed it). */
  private Integer lastStepOf(String h) {
    for (int i = steps.size() - 1; i >= 0; i--) {
      if (h.equals(steps.get(i).creates()) || h.equals(steps.get(i).target())) {
        return i;
      }
    }
    return null;
  }

  /** Rarely, a recap: only right after a turn with work, so never two in a row. */
  private void recap() {
    if (script.isEmpty() || random.nextDouble() >= P_RECAP) {
      return;
    }
    int at = 1 + random.nextInt(script.size());
    if (!script.get(at - 1).calls().isEmpty()) {
      script.add(at, new Move("recap", List.of(), null, null));
    }
  }

  /** Values the user states for a create of {@code t} that must be there: its required ones. */
  static int requiredValues(Table t) {
    int n = 0;
    for (String c : t.nonKeyColumns().keySet()) {
      if (t.isRequired(c)) {
        n++;
      }
    }
    return n;
  }

  /**
   * A required value a user could have said wrong and correct in passing: a number, a choice or
   * a date (not a name, a key, a reference or a unique value); null when the table has none.
   */
  static Column fixable(Table t) {
    List<Column> naming = Naming.columns(t);
    for (Column c : t.nonKeyColumns().values()) {
      boolean kind = c.enumValues() != null && c.enumValues().size() > 1
          || "number".equals(c.type()) || "integer".equals(c.type())
          || "date".equals(c.format());
      if (t.isRequired(c.name()) && !c.isForeignKey() && !c.unique() && !naming.contains(c)
          && kind) {
        return c;
      }
    }
    return null;
  }
}
