package io.convoforge.family.tooluse.offline;

import io.convoforge.family.tooluse.gen.Naming;
import io.convoforge.family.tooluse.model.Move;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.recipe.FailureMix;
import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import io.convoforge.family.tooluse.schema.ToolSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The failing step of a failure conversation: its cause ({@link Causes}, drawn by the recipe's
 * weights), how the bad value gets into the call, and what the user does after the assistant
 * explains the error. The failing call is the only one with an intended error; a retry with the
 * corrected value succeeds; the workflow's later steps are not reached (they stay in the plan as
 * {@code pending}).
 *
 * <ul>
 *   <li>typo: the key is {@code ~Handle} (one character off); the user then gives the right key
 *       (a retry) or will check and come back;
 *   <li>stale record: a key nobody issued ({@code ?Table}), framed as one the user remembers;
 *       then a search by name (or, for records without one, a listing of the records of the
 *       parent the user knows) finds the current record and the call is retried with it, or
 *       the user gives up;
 *   <li>wrong kind: the key of a seeded record of another table whose keys look the same; then
 *       a retry with the right key, or giving up;
 *   <li>duplicate value: a unique value copied from a seeded record of the same table; then the
 *       user asks to see that record (a search by the value), retries with another value, or
 *       gives up;
 *   <li>empty search: a search by a name no record has, then the key from the user's notes,
 *       which no record has either; then, as for a stale record, a search by the name the user
 *       remembers better finds the record and the call is retried, or the user gives up;
 *   <li>value unavailable: the assistant asks for the values, the user lacks a required unique
 *       one and offers a shared one, which another record already has; the user may ask who
 *       has it (a search by the value), then gives up.
 * </ul>
 */
final class FailureScript {
  private final ScriptPlanner p;

  FailureScript(ScriptPlanner p) {
    this.p = p;
  }

  void compose(Causes.Option o, ToolSpec spec, Table t, Map<String, String> refs, String target,
      String creates) {
    o = Causes.adapt(o, Causes.options(spec, t, p.ctx.schema()), refs, target, p.s,
        p.ctx.failures(), p.random);
    String cause = o.cause();
    String fk = o.column();
    String subject = fk == null ? target : refs.get(fk);
    Table referenced = fk == null ? t : p.table(t.column(fk).references());
    if (fk != null && subject == null) {
      // An optional reference the step did not set: point it at a record first.
      subject = p.s.latest(referenced.name());
      if (subject == null) {
        subject = p.s.seed(referenced.name(), p.random, false);
      }
      refs.put(fk, subject);
    }
    Map<String, String> failRefs = new LinkedHashMap<>(refs);
    String failTarget = target;
    String bad = switch (cause) {
      case FailureMix.TYPO_ID -> PlanState.TYPO + subject;
      case FailureMix.STALE_RECORD, FailureMix.EMPTY_SEARCH -> PlanState.MISSING
          + referenced.name();
      case FailureMix.WRONG_KIND -> {
        List<Table> alike = Causes.lookAlikes(fk == null ? t.key() : t.column(fk), referenced,
            p.ctx.schema());
        yield p.s.seed(alike.get(p.random.nextInt(alike.size())).name(), p.random, true);
      }
      default -> null;
    };
    Column unique = null;
    if (bad != null) {
      if (fk == null) {
        failTarget = bad;
      } else {
        failRefs.put(fk, bad);
      }
    } else {
      unique = FailureMix.VALUE_UNAVAILABLE.equals(cause) ? Causes.sharedColumn(t)
          : Causes.uniqueColumn(t, false);
      failRefs.put("=" + unique.name(), p.s.seed(t.name(), p.random, true));
    }
    for (Map.Entry<String, String> e : refs.entrySet()) {
      if (!e.getKey().equals(fk) && p.s.isSeed(e.getValue())) {
        p.maybeFind(e.getValue(), spec.action());
        break;
      }
    }
    if (FailureMix.EMPTY_SEARCH.equals(cause)) {
      int f = p.read("search", bad, Map.of(), referenced.name(), "find_none",
          p.steps.size() + 1);
      p.script.add(Move.of("find_none", p.steps.size(), f));
    }
    if (unique == null && "create".equals(spec.action())) {
      p.maybeCheck(t);
    }
    int w = p.add(spec.name(), spec.action(), t.name(), failRefs, failTarget, creates,
        o.error(), PlanStep.WORKFLOW, cause, null);
    if (FailureMix.VALUE_UNAVAILABLE.equals(cause)) {
      p.script.add(Move.of("ask", w));
      p.script.add(Move.of("unavailable", w).withDetail(unique.name()));
      p.script.add(Move.of("provide", w, w).withDetail(cause));
    } else if (("create".equals(spec.action()) || "update".equals(spec.action()))
        && !FailureMix.EMPTY_SEARCH.equals(cause) && p.chance(0.5)) {
      p.script.add(Move.of("ask", w));
      p.script.add(Move.of("provide", w, w).withDetail(cause));
    } else {
      p.script.add(Move.of("request", w, w).withDetail(cause));
    }
    tail(spec, t, cause, w, refs, target, subject, referenced, unique, failRefs);
  }

  /** What the user does after the error is explained; nothing when they give up. */
  private void tail(ToolSpec spec, Table t, String cause, int w, Map<String, String> refs,
      String target, String subject, Table referenced, Column unique,
      Map<String, String> failRefs) {
    double r = p.random.nextDouble();
    switch (cause) {
      case FailureMix.TYPO_ID, FailureMix.WRONG_KIND -> {
        // When the right record came up in the conversation, the assistant points it out.
        boolean suggested = FailureMix.TYPO_ID.equals(cause) && p.s.named.contains(subject);
        if (r < (suggested ? 0.9 : 0.6 * Math.min(p.bias, 1.5))) {
          retry(spec, t, w, refs, target, cause);
        }
      }
      case FailureMix.STALE_RECORD, FailureMix.EMPTY_SEARCH -> {
        // The user searches by the name they remember, or lists the records of the parent
        // they know (the quotes of an opportunity): the current record turns up.
        Column byParent = requiredReference(referenced);
        if ((!Naming.columns(referenced).isEmpty() || byParent != null)
            && r < 0.5 * Math.min(p.bias, 1.8)) {
          String current = p.s.seed(referenced.name(), p.random, true);
          Map<String, String> by = Naming.columns(referenced).isEmpty()
              ? Map.of(byParent.name(), p.s.refsOf.get(current).get(byParent.name())) : Map.of();
          int f = p.read("search", current, by, null, "find", w);
          p.script.add(Move.of("find", w, f).withDetail("after_failure"));
          p.s.named.add(current);
          Map<String, String> fixed = new LinkedHashMap<>(refs);
          String fixedTarget = target;
          if (target != null && target.equals(subject)) {
            fixedTarget = current;
          } else {
            fixed.replaceAll((k, v) -> v.equals(subject) ? current : v);
          }
          retry(spec, t, w, fixed, fixedTarget, cause);
        }
      }
      case FailureMix.DUPLICATE_VALUE -> {
        String other = failRefs.get("=" + unique.name());
        if (r < 0.4 * Math.min(p.bias, 1.8)) {
          int e = p.read("search", other, Map.of("=" + unique.name(), other), null, "show", w);
          p.script.add(Move.of("show", w, e).withDetail(unique.name()));
          p.s.named.add(other);
        } else if (r < 0.7) {
          retry(spec, t, w, refs, target, cause);
        }
      }
      case FailureMix.VALUE_UNAVAILABLE -> {
        if (r < 0.5 * Math.min(p.bias, 1.8)) {
          String other = failRefs.get("=" + unique.name());
          int e = p.read("search", other, Map.of("=" + unique.name(), other), null, "show", w);
          p.script.add(Move.of("show", w, e).withDetail(unique.name()));
          p.s.named.add(other);
        }
      }
      default -> {
        // Nothing else can fail.
      }
    }
  }

  /** A required foreign key of {@code t} (every row has its parent), or null. */
  private static Column requiredReference(Table t) {
    for (Column fk : t.foreignKeys()) {
      if (t.isRequired(fk.name())) {
        return fk;
      }
    }
    return null;
  }

  /** The failed call again with the right value, then maybe a verification of it. */
  private void retry(ToolSpec spec, Table t, int w, Map<String, String> refs, String target,
      String cause) {
    String creates = "create".equals(spec.action()) ? p.s.newHandle(t.name()) : null;
    int r = p.add(spec.name(), spec.action(), t.name(), refs, target, creates, null, "retry",
        null, w);
    p.script.add(Move.of("retry", w, r).withDetail(cause));
    String done = creates != null ? creates : target;
    if (creates != null) {
      p.s.add(t.name(), creates, refs);
    }
    if ("delete".equals(spec.action())) {
      p.s.delete(target);
      return;
    }
    p.s.named.add(done);
    if (!"get".equals(spec.action()) && !"search".equals(spec.action())) {
      p.changed.add(done);
      p.after(done, r, true, false);
    }
  }
}
