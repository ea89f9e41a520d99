package io.convoforge.core.export;

import io.convoforge.core.input.InputException;
import io.convoforge.core.util.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Deterministic splits that keep siblings together. {@link #parse} reads {@code
 * train=0.9,test=0.1} (names of letters, digits, {@code _} or {@code -}; shares positive, summing
 * to 1). A {@link Grouping} joins records that share a sibling key (union-find), and each group
 * goes to the split its key's hash falls in: the hash of the group's smallest key, mapped to
 * [0, 1) and cut at the cumulative shares. So a record's split depends only on its group, never
 * on the other records or their order, and two runs give the same splits; the realised shares
 * approach the asked ones as groups get many and small.
 */
public final class Splits {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

  /** A split's name and share. */
  public record Split(String name, double share) {}

  private Splits() {}

  /** The splits of a spec; null or blank: everything in {@code train}. */
  public static List<Split> parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return List.of(new Split("train", 1.0));
    }
    List<Split> out = new ArrayList<>();
    double sum = 0;
    for (String part : spec.split(",")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length != 2 || !NAME.matcher(kv[0].trim()).matches()) {
        throw bad(spec, "expected name=share pairs such as train=0.9,test=0.1, got '" + part
            + "'");
      }
      double share;
      try {
        share = Double.parseDouble(kv[1].trim());
      } catch (NumberFormatException e) {
        throw bad(spec, "the share of '" + kv[0].trim() + "' is not a number");
      }
      if (!(share > 0) || share > 1) {
        throw bad(spec, "the share of '" + kv[0].trim() + "' must be in (0, 1]");
      }
      String name = kv[0].trim();
      if (out.stream().anyMatch(s -> s.name().equals(name))) {
        throw bad(spec, "split '" + name + "' is named twice");
      }
      out.add(new Split(name, share));
      sum += share;
    }
    if (Math.abs(sum - 1) > 1e-6) {
      throw bad(spec, String.format(Locale.ROOT, "the shares sum to %.4f, not 1", sum));
    }
    return List.copyOf(out);
  }

  /** The split a group whose smallest sibling key is {@code groupKey} goes to. */
  public static String of(String groupKey, List<Split> splits) {
    double u = (Seeds.hash("split|" + groupKey) >>> 11) / (double) (1L << 53);
    double cum = 0;
    for (Split s : splits) {
      cum += s.share();
      if (u < cum) {
        return s.name();
      }
    }
    return splits.get(splits.size() - 1).name();
  }

  /** Records joined by shared sibling keys; then each record's split. */
  public static final class Grouping {
    private final Map<String, String> parent = new HashMap<>();
    private final Map<String, String> keyOfId = new LinkedHashMap<>();

    /** Adds a record with its sibling keys (at least one). */
    public void add(String id, List<String> keys) {
      String first = "k:" + keys.get(0);
      find(first);
      for (String k : keys.subList(1, keys.size())) {
        union(first, "k:" + k);
      }
      keyOfId.put(id, first);
    }

    /** The number of sibling groups among the records added. */
    public long groups() {
      return keyOfId.values().stream().map(this::find).distinct().count();
    }

    /** Each record id's split. */
    public Map<String, String> assign(List<Split> splits) {
      Map<String, String> byRoot = new HashMap<>();
      Map<String, String> out = new HashMap<>();
      keyOfId.forEach((id, key) -> out.put(id, byRoot.computeIfAbsent(find(key),
          root -> of(root.substring(2), splits))));
      return out;
    }

    // The root of a set is its smallest key, so the group key needs no second pass.
    private String find(String k) {
      String root = k;
      String p;
      while (!(p = parent.computeIfAbsent(root, x -> x)).equals(root)) {
        root = p;
      }
      String cur = k;
      while (!cur.equals(root)) {
        String next = parent.get(cur);
        parent.put(cur, root);
        cur = next;
      }
      return root;
    }

    private void union(String a, String b) {
      String ra = find(a);
      String rb = find(b);
      if (!ra.equals(rb)) {
        if (ra.compareTo(rb) < 0) {
          parent.put(rb, ra);
        } else {
          parent.put(ra, rb);
        }
      }
    }
  }

  private static InputException bad(String spec, String why) {
    return new InputException("--split " + spec, null, why);
  }
}
