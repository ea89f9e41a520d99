package io.convoforge.family.scenario.offline;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sentence compiled once into literal parts and {@link Slot}s, so rendering only appends
 * strings to a builder. Unknown {@code {names}} fail at compile time, naming where they are.
 */
final class Template implements Serializable {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

  private final String[] literals;
  private final Slot[] slots;

  private Template(String[] literals, Slot[] slots) {
    this.literals = literals;
    this.slots = slots;
  }

  /** Compiles {@code text}; an unknown placeholder is an {@link IllegalArgumentException}. */
  static Template compile(String text) {
    List<String> lits = new ArrayList<>();
    List<Slot> sl = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text);
    int at = 0;
    while (m.find()) {
      Slot s = Slot.named(m.group(1));
      if (s == null) {
        throw new IllegalArgumentException("unknown placeholder {" + m.group(1) + "} in '" + text
            + "'");
      }
      lits.add(text.substring(at, m.start()));
      sl.add(s);
      at = m.end();
    }
    lits.add(text.substring(at));
    return new Template(lits.toArray(new String[0]), sl.toArray(new Slot[0]));
  }

  void render(StringBuilder out, String[] values) {
    for (int i = 0; i < slots.length; i++) {
      out.append(literals[i]).append(values[slots[i].ordinal()]);
    }
    out.append(literals[slots.length]);
  }

  String render(String[] values) {
    StringBuilder sb = new StringBuilder(64);
    render(sb, values);
    return sb.toString();
  }

  boolean uses(Slot s) {
    for (Slot x : slots) {
      if (x == s) {
        return true;
      }
    }
    return false;
  }
}
