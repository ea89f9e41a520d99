package io.convoforge.family.scenario.spec;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One entry of a spec's catalogue: {@code ### ID — title} and its {@code - key: value} lines, in
 * file order, keys lower-cased ({@code intent}, {@code tone} and {@code progression} always
 * present; others, such as {@code detail}, kept as written). {@code line} is the heading's line.
 *
 * <p>{@code progression} is a sequence of steps separated by {@code →}, {@code ->}, {@code =>} or
 * {@code ;}, each an action phrase of the agent; the last step is the outcome the call reaches.
 */
public record Scenario(String id, String title, Map<String, String> fields, int line)
    implements Serializable {
  private static final Pattern STEP_SEPARATOR = Pattern.compile("\\s*(?:→|->|=>|;)\\s*");

  public Scenario {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  public String intent() {
    return fields.get("intent");
  }

  public String tone() {
    return fields.get("tone");
  }

  public String progression() {
    return fields.get("progression");
  }

  /** A field by lower-case key, or {@code null}. */
  public String field(String key) {
    return fields.get(key);
  }

  /** The progression's steps, in order, without a trailing full stop; never empty. */
  public List<String> progressionSteps() {
    List<String> out = new ArrayList<>();
    for (String s : STEP_SEPARATOR.split(progression().trim())) {
      String t = s.trim();
      while (t.endsWith(".")) {
        t = t.substring(0, t.length() - 1).trim();
      }
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    if (out.isEmpty()) {
      out.add(progression().trim());
    }
    return out;
  }

  /** The last progression step: what the call must reach by its end. */
  public String outcome() {
    List<String> steps = progressionSteps();
    return steps.get(steps.size() - 1);
  }
}
