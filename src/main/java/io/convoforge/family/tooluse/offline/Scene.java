package io.convoforge.family.tooluse.offline;

import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.gen.Naming;
import io.convoforge.family.tooluse.gen.PhraseBank;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.schema.Column;
import io.convoforge.family.tooluse.schema.Table;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * What the dialogue writer knows while it writes one conversation: the plan, the executed
 * results and the rows as they were before each call, which records the user and the assistant
 * both know (their key was said or returned), what has been done, and the text so far. It says
 * things the way the phrase bank does, in the persona's style, with values woven in. Mutable;
 * one per conversation.
 */
final class Scene {
  final ToolUseContext ctx;
  final PhraseBank bank;
  final Conversation c;
  final Random random;
  final String style;
  final Map<String, String> base = new HashMap<>();
  final Map<Integer, ToolResult> results = new HashMap<>();
  /** The row a get, update or delete acted on, as it was before the call. */
  final Map<Integer, Map<String, Object>> before = new HashMap<>();
  /** Rows as the calls left them, by handle. */
  final Map<String, Map<String, Object>> rows = new HashMap<>();
  /** Handles whose key both sides know (said by the user or returned by a call). */
  final Set<String> known = new HashSet<>();
  /** Changes made so far ("created client Acme (CL-000123)"), and records only read. */
  final List<String> done = new ArrayList<>();
  final List<String> read = new ArrayList<>();
  final StringBuilder said = new StringBuilder();
  String error;
  String cause;
  private final ValueGenerator gen = new ValueGenerator();
  private final Map<String, Object> wrongs = new HashMap<>();

  Scene(ToolUseContext ctx, Conversation c, Random random) {
    this.ctx = ctx;
    this.bank = ctx.phrases();
    this.c = c;
    this.random = random;
    this.style = c.persona() == null ? "any" : c.persona().getOrDefault("style", "any");
    if (c.persona() != null) {
      base.put("me", c.persona().getOrDefault("name", ""));
      base.put("first", c.persona().getOrDefault("name", "").split(" ")[0]);
      base.put("role", c.persona().getOrDefault("role", ""));
    }
    base.put("goal", goal(c));
    gen.reseed(random.nextLong());
    // Context people mention: a colleague, a city, a weekday.
    base.put("colleague", gen.faker().name().firstName());
    base.put("city", gen.faker().address().city());
    base.put("day", DAYS.get(gen.random().nextInt(DAYS.size())));
  }

  private static final List<String> DAYS = List.of("Monday", "Tuesday", "Wednesday",
      "Thursday", "Friday");

  /** A valid value of {@code col} other than {@code right}: what a user might say by mistake. */
  Object wrong(Table t, Column col, Object right) {
    return wrongs.computeIfAbsent(t.name() + "." + col.name(), k -> {
      for (int i = 0; i < 8; i++) {
        Object v = gen.value(t, col, gen.identity());
        if (!v.equals(right)) {
          return v;
        }
      }
      return right;
    });
  }

  PlanStep step(int i) {
    return c.plan().steps().get(i);
  }

  Table table(PlanStep s) {
    return ctx.schema().table(s.table());
  }

  Table tableOf(String handle) {
    return ctx.schema().table(PlanState.tableOf(handle));
  }

  Object key(String handle) {
    return handle == null ? null : c.plan().bindings().get(handle);
  }

  String id(String handle) {
    return ValueGenerator.render(key(handle));
  }

  Map<String, String> vars() {
    return new HashMap<>(base);
  }

  /** Vars naming the step's table and, when it acts on one, its record. */
  Map<String, String> vars(PlanStep s) {
    Map<String, String> v = vars();
    v.put("entity", table(s).label());
    String h = s.target() != null ? s.target() : s.creates();
    if (h != null && key(h) != null) {
      v.put("id", id(h));
      v.put("ref", ref(h));
    }
    return v;
  }

  String say(String path, Map<String, String> vars) {
    return bank.say(random, path, style, vars);
  }

  /** True when the text so far contains {@code value} (as a whole word, case ignored). */
  boolean wasSaid(String value) {
    String hay = said.toString();
    String needle = value.toLowerCase(Locale.ROOT);
    for (int at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
      int end = at + needle.length();
      if ((at == 0 || !Character.isLetterOrDigit(hay.charAt(at - 1)))
          && (end == hay.length() || !Character.isLetterOrDigit(hay.charAt(end)))) {
        return true;
      }
    }
    return false;
  }

  /** How a record is called: its name when it has one, else "client CL-000123". */
  String ref(String handle) {
    Table t = tableOf(handle);
    String name = Naming.of(t, rows.get(handle));
    if (name == null || !known.contains(handle)) {
      return t.label() + " " + id(handle);
    }
    return Naming.proper(t) ? name : t.label() + " " + name;
  }

  /** The record's name, or null when it has none (or the user never heard it). */
  String name(String handle) {
    return Naming.of(tableOf(handle), rows.get(handle));
  }

  /**
   * The values a user states, woven into a phrase each ("a budget of 40000", "for the client we
   * just created", "client id CL-000123"): the first in column order, the rest shuffled,
   * joined "a, b and c".
   */
  String weave(PlanStep s, Map<String, Object> values) {
    Table t = table(s);
    List<String> parts = new ArrayList<>();
    List<Column> naming = Naming.columns(t);
    boolean person = naming.size() == 2 && values.containsKey(naming.get(0).name())
        && values.containsKey(naming.get(1).name());
    for (Map.Entry<String, Object> e : inColumnOrder(t, values).entrySet()) {
      Column col = t.column(e.getKey());
      if (col == null) {
        continue;
      }
      if (person && col.name().equals(naming.get(1).name())) {
        continue;
      }
      Map<String, String> v = vars();
      v.put("field", col.label());
      v.put("value", ValueGenerator.render(e.getValue()));
      String kind;
      if (person && col.name().equals(naming.get(0).name())) {
        kind = "person";
        v.put("value", ValueGenerator.render(e.getValue()) + " "
            + ValueGenerator.render(values.get(naming.get(1).name())));
      } else if (col.isForeignKey()) {
        String h = s.refs().get(col.name());
        Table parent = ctx.schema().table(col.references());
        v.put("entity", parent.label());
        if (h != null && known.contains(h) && key(h) != null && key(h).equals(e.getValue())) {
          kind = "link";
          v.put("ref", ref(h));
        } else {
          kind = "id";
        }
      } else if (!naming.isEmpty() && col.name().equals(naming.get(0).name())) {
        kind = "name";
      } else if (e.getValue() instanceof Boolean b) {
        kind = b ? "yes" : "no";
      } else if (col.enumValues() != null) {
        kind = "choice";
      } else if ("date".equals(col.format()) || "date-time".equals(col.format())) {
        kind = "date";
      } else if ("email".equals(col.format())) {
        kind = "email";
      } else if (e.getValue() instanceof Number) {
        kind = "number";
      } else {
        kind = "text";
      }
      parts.add(say("user.value." + kind, v));
    }
    // People name the record first, then give the rest in no particular order.
    if (parts.size() > 2) {
      java.util.Collections.shuffle(parts.subList(1, parts.size()), random);
    }
    return joinAnd(parts);
  }

  /** The workflow steps never reached, as people say them ("quote", "ticket update"). */
  List<String> pending() {
    List<String> out = new ArrayList<>();
    for (PlanStep s : c.plan().steps()) {
      if (PlanStep.PENDING.equals(s.role())) {
        String noun = switch (s.action()) {
          case "update" -> " update";
          case "delete" -> " removal";
          case "get" -> " review";
          case "search" -> " search";
          default -> "";
        };
        out.add(table(s).label() + noun);
      }
    }
    return out;
  }

  /**
   * "stage Proposal and amount 5000": up to {@code n} fields of a row; the key is left out, and
   * so are references unless the summary is a full read-back ({@code n} of 8 or more).
   */
  String summary(Table t, Map<String, Object> row, int n, Collection<String> skip) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Object> e : inColumnOrder(t, row).entrySet()) {
      if (parts.size() >= n) {
        break;
      }
      Column col = t.column(e.getKey());
      if (col != null && !e.getKey().equals(t.primaryKey()) && !skip.contains(e.getKey())
          && !(col.isForeignKey() && n < 8)) {
        parts.add(col.label() + " " + ValueGenerator.render(e.getValue()));
      }
    }
    return parts.isEmpty() ? "no further details" : joinAnd(parts);
  }

  /**
   * Like {@link #summary}, with {@code n} fields drawn at random among those shown (kept in
   * column order): what a reply picks out of a record varies.
   */
  String some(Table t, Map<String, Object> row, int n, Collection<String> skip) {
    List<String> eligible = new ArrayList<>();
    for (Map.Entry<String, Object> e : inColumnOrder(t, row).entrySet()) {
      Column col = t.column(e.getKey());
      if (col != null && !e.getKey().equals(t.primaryKey()) && !skip.contains(e.getKey())
          && !col.isForeignKey()) {
        eligible.add(e.getKey());
      }
    }
    while (eligible.size() > n) {
      eligible.remove(random.nextInt(eligible.size()));
    }
    Map<String, Object> picked = new LinkedHashMap<>();
    eligible.forEach(k -> picked.put(k, row.get(k)));
    return summary(t, picked, n, skip);
  }

  /** Labels of columns in the order a person happens to list them, joined "a, b and c". */
  String shuffledLabels(Table t, Collection<String> cols) {
    List<String> out = new ArrayList<>(cols);
    java.util.Collections.shuffle(out, random);
    return labels(t, out);
  }

  /** Labels of columns, joined "a, b and c". */
  static String labels(Table t, Collection<String> cols) {
    List<String> out = new ArrayList<>();
    for (String k : cols) {
      Column col = t.column(k);
      out.add(col == null ? k : col.label());
    }
    return joinAnd(out);
  }

  /** The values a user states for a step: its arguments in column order, without the key. */
  Map<String, Object> userValues(PlanStep s) {
    Table t = table(s);
    Map<String, Object> out = inColumnOrder(t, s.arguments());
    if (!"search".equals(s.action())) {
      out.remove(t.primaryKey());
    }
    return out;
  }

  /** Never iterate a record's map for text: its order depends on the runner; columns do not. */
  static Map<String, Object> inColumnOrder(Table t, Map<String, ?> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (values == null) {
      return out;
    }
    for (String col : t.columns().keySet()) {
      if (values.containsKey(col) && values.get(col) != null) {
        out.put(col, values.get(col));
      }
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

  private static final java.util.regex.Pattern SENTENCE =
      java.util.regex.Pattern.compile("([.!?] +)([a-z])");

  /** Every sentence starts with a capital ("quote Q-1 is saved" after a full stop). */
  static String sentences(String s) {
    java.util.regex.Matcher m = SENTENCE.matcher(capitalize(s));
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(
          m.group(1) + m.group(2).toUpperCase(Locale.ROOT)));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  static String capitalize(String s) {
    return s == null || s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String goal(Conversation c) {
    Object g = c.metadata().get("goal");
    String s = g == null ? "get some CRM work done" : String.valueOf(g).trim();
    if (s.endsWith(".")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
