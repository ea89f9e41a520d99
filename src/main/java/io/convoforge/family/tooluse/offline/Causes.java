package io.convoforge.family.tooluse.offline;

import io.convoforge.family.tooluse.gen.Naming;
import io.convoforge.family.tooluse.recipe.FailureMix;
import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * The ways a workflow step can really fail, and the error each gives. A get, update or delete
 * fails on its target ({@code not_found}); a create or update on one of its foreign keys ({@code
 * invalid_reference}); either on a unique value ({@code conflict}). On a key, the causes are a
 * typo, a stale record, the key of another kind of record whose keys look the same, or a search
 * by name that found nothing; on a unique value, a duplicate, or (creates, a required email or
 * phone) a value the user could not supply.
 */
final class Causes {
  /** One way to fail: the cause and the foreign key it acts on (null: the target, or a value). */
  record Option(String cause, String column, String error) {}

  private Causes() {}

  static List<Option> options(ToolSpec spec, Table t, TablesSchema schema) {
    List<Option> out = new ArrayList<>();
    String action = spec.action();
    if ("get".equals(action) || "delete".equals(action) || "update".equals(action)) {
      keyOptions(out, t.key(), t, schema, null, "not_found");
    }
    if ("create".equals(action) || "update".equals(action)) {
      for (Column fk : t.foreignKeys()) {
        keyOptions(out, fk, schema.table(fk.references()), schema, fk.name(),
            "invalid_reference");
      }
      if (uniqueColumn(t, false) != null) {
        out.add(new Option(FailureMix.DUPLICATE_VALUE, null, "conflict"));
      }
    }
    if ("create".equals(action) && sharedColumn(t) != null) {
      out.add(new Option(FailureMix.VALUE_UNAVAILABLE, null, "conflict"));
    }
    return out;
  }

  private static void keyOptions(List<Option> out, Column col, Table referenced,
      TablesSchema schema, String fk, String error) {
    if (typoable(col)) {
      out.add(new Option(FailureMix.TYPO_ID, fk, error));
    }
    out.add(new Option(FailureMix.STALE_RECORD, fk, error));
    if (!lookAlikes(col, referenced, schema).isEmpty()) {
      out.add(new Option(FailureMix.WRONG_KIND, fk, error));
    }
    if (!Naming.columns(referenced).isEmpty()) {
      out.add(new Option(FailureMix.EMPTY_SEARCH, fk, error));
    }
  }

  /** Draws a cause by the recipe's weights, then one of its options; null if none can fail. */
  static Option draw(List<Option> options, FailureMix mix, Random random) {
    List<String> causes = new ArrayList<>();
    for (Option o : options) {
      if (!causes.contains(o.cause())) {
        causes.add(o.cause());
      }
    }
    String cause = mix.draw(causes, random);
    if (cause == null) {
      return null;
    }
    List<Option> of = options.stream().filter(o -> o.cause().equals(cause)).toList();
    return of.get(random.nextInt(of.size()));
  }

  /** True when some option has a cause the recipe gives a positive weight. */
  static boolean possible(List<Option> options, FailureMix mix) {
    return options.stream().anyMatch(o -> mix.weight(o.cause()) > 0);
  }

  /** A key one character off is still a valid key: integers and plain or uuid strings. */
  static boolean typoable(Column c) {
    if ("integer".equals(c.type())) {
      return true;
    }
    return c.isString() && c.enumValues() == null
        && (c.format() == null || "uuid".equals(c.format()));
  }

  /** Tables other than {@code referenced} whose keys have the column's type and shape. */
  static List<Table> lookAlikes(Column col, Table referenced, TablesSchema schema) {
    List<Table> out = new ArrayList<>();
    for (Table other : schema.tables().values()) {
      Column k = other.key();
      if (!other.name().equals(referenced.name()) && Objects.equals(k.type(), col.type())
          && Objects.equals(k.format(), col.format())
          && Objects.equals(k.pattern(), col.pattern()) && k.enumValues() == null
          && col.enumValues() == null && overlaps(k, col)) {
        out.add(other);
      }
    }
    return out;
  }

  private static boolean overlaps(Column a, Column b) {
    double lo = Math.max(a.minimum() == null ? -Double.MAX_VALUE : a.minimum(),
        b.minimum() == null ? -Double.MAX_VALUE : b.minimum());
    double hi = Math.min(a.maximum() == null ? Double.MAX_VALUE : a.maximum(),
        b.maximum() == null ? Double.MAX_VALUE : b.maximum());
    return lo <= hi;
  }

  /**
   * A required unique column people share when they lack their own (an email or a phone: "use
   * the team inbox"), or null.
   */
  static Column sharedColumn(Table t) {
    for (Column c : t.nonKeyColumns().values()) {
      if (c.unique() && !c.isForeignKey() && t.isRequired(c.name()) && c.isString()
          && ("email".equals(c.format()) || c.name().contains("email")
          || c.name().contains("phone"))) {
        return c;
      }
    }
    return null;
  }

  /**
   * The option to act out given who the subject is: a stale, look-alike or unfound record is
   * one the user brings from outside, never one the conversation itself created or found, so
   * for those causes a foreign key whose record is a seed (or unset) is preferred, else the
   * target when it is a seed; when neither fits, another cause is drawn by the recipe's
   * weights among the options that fit (a typo and a clashing value always do); when none
   * does, the option stays as drawn.
   */
  static Option adapt(Option o, List<Option> all, Map<String, String> refs, String target,
      PlanState s, FailureMix mix, Random random) {
    if (alwaysFits(o)) {
      return o;
    }
    List<Option> fitting = new ArrayList<>();
    for (Option x : all) {
      if (alwaysFits(x) || fits(x, refs, target, s)) {
        fitting.add(x);
      }
    }
    List<Option> same = fitting.stream().filter(x -> x.cause().equals(o.cause())).toList();
    if (!same.isEmpty()) {
      return same.contains(o) ? o : same.get(random.nextInt(same.size()));
    }
    Option other = draw(fitting, mix, random);
    return other != null ? other : o;
  }

  private static boolean alwaysFits(Option o) {
    return FailureMix.TYPO_ID.equals(o.cause()) || "conflict".equals(o.error());
  }

  private static boolean fits(Option x, Map<String, String> refs, String target, PlanState s) {
    String subject = x.column() == null ? target : refs.get(x.column());
    return subject == null && x.column() != null
        || subject != null && s.isSeed(subject) && !s.named.contains(subject);
  }

  /** A unique plain column of {@code t} (a required one when {@code required}), or null. */
  static Column uniqueColumn(Table t, boolean required) {
    for (Column c : t.nonKeyColumns().values()) {
      if (c.unique() && !c.isForeignKey() && (!required || t.isRequired(c.name()))) {
        return c;
      }
    }
    return null;
  }
}
