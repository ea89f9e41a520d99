package io.convoforge.family.tooluse.gen;

import io.convoforge.family.tooluse.schema.Column;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A key as a person might misread it: one character replaced by another of the same kind (a
 * digit by a digit, a letter by a letter of the same case, a hex digit of a uuid by a hex
 * digit), so that it still looks like, and validates as, a key of its column.
 */
public final class Typos {
  private static final String HEX = "0123456789abcdef";

  private Typos() {}

  /**
   * A variant of {@code key} one character off that satisfies the column's pattern and range
   * and is not in {@code taken} (keys as text); null when none is found in a few tries.
   */
  public static Object oneOff(Object key, Column col, Random random, Set<String> taken) {
    String text = ValueGenerator.render(key);
    Pattern pattern = col.pattern() == null ? null : Pattern.compile(col.pattern());
    boolean uuid = "uuid".equals(col.format());
    for (int attempt = 0; attempt < 40; attempt++) {
      int at = random.nextInt(text.length());
      char ch = text.charAt(at);
      char to;
      if (uuid && HEX.indexOf(Character.toLowerCase(ch)) >= 0) {
        to = HEX.charAt(random.nextInt(16));
      } else if (Character.isDigit(ch)) {
        to = (char) ('0' + random.nextInt(10));
      } else if (Character.isUpperCase(ch)) {
        to = (char) ('A' + random.nextInt(26));
      } else if (Character.isLowerCase(ch)) {
        to = (char) ('a' + random.nextInt(26));
      } else {
        continue;
      }
      if (to == ch || key instanceof Number && at == 0 && to == '0') {
        continue;
      }
      String variant = text.substring(0, at) + to + text.substring(at + 1);
      if (taken.contains(variant) || pattern != null && !pattern.matcher(variant).find()) {
        continue;
      }
      if (key instanceof Number) {
        long v = Long.parseLong(variant);
        if (col.minimum() != null && v < col.minimum() || col.maximum() != null
            && v > col.maximum()) {
          continue;
        }
        return v;
      }
      return variant;
    }
    return null;
  }
}
