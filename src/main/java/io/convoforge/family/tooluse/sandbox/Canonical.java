package io.convoforge.family.tooluse.sandbox;

import io.convoforge.core.model.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A canonical JSON text of a value for comparisons: map keys sorted and numbers compared by
 * value ({@code 5000}, {@code 5000.0} and {@code 5E+3} are the same amount), so a result read
 * back from SQL equals the one the offline writer recorded.
 */
public final class Canonical {
  private Canonical() {}

  public static String json(Object value) {
    return Json.write(normalize(value));
  }

  public static boolean same(Object a, Object b) {
    return json(a).equals(json(b));
  }

  static Object normalize(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, x) -> {
        if (x != null) {
          out.put(String.valueOf(k), normalize(x));
        }
      });
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(normalize(x)));
      return out;
    }
    if (v instanceof Number n) {
      return new BigDecimal(n.toString()).stripTrailingZeros();
    }
    return v;
  }
}
