package io.convoforge.core.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * Records keep their maps in key order. A map that crosses a coder comes back in key order (the
 * JSON is written sorted), while a runner that fuses stages hands the same object over in
 * insertion order; canonical order at construction makes both identical, so nothing downstream
 * can depend on which runner ran it.
 */
public final class Canonical {
  private Canonical() {}

  public static <V> Map<String, V> sorted(Map<String, V> m) {
    return m == null || m instanceof TreeMap ? m : new TreeMap<>(m);
  }

  public static <V> Map<String, Map<String, V>> sortedNested(Map<String, Map<String, V>> m) {
    if (m == null) {
      return null;
    }
    // Records are copied on every stage (with...), so an already canonical map is kept as is.
    if (m instanceof TreeMap
        && m.values().stream().allMatch(v -> v == null || v instanceof TreeMap)) {
      return m;
    }
    TreeMap<String, Map<String, V>> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, sorted(v)));
    return out;
  }
}
