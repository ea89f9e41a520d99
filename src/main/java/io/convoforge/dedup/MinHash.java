package io.convoforge.dedup;

import io.convoforge.util.Seeds;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Shingles and MinHash LSH for Jaccard similarity. Shingles are word n-grams ({@code word}) or
 * character n-grams ({@code char}) of the lower-cased text, hashed to 32-bit ints; the sorted,
 * distinct hashes are the set that {@link #jaccard} compares exactly. The signature has {@code
 * bands x rows} minima of universal hashes drawn from the seed; a band key hashes one band's
 * minima. Two sets of Jaccard J share some band with probability {@code 1 - (1 - J^rows)^bands}:
 * 0.9996 at J = 0.8 for the default 20 x 5 (0.5 at J = 0.55).
 */
public final class MinHash implements Serializable {
  private static final long PRIME = (1L << 61) - 1;
  private final int bands;
  private final int rows;
  private final long seed;
  private transient long[] a;
  private transient long[] b;

  public MinHash(int bands, int rows, long seed) {
    if (bands < 1 || rows < 1) {
      throw new IllegalArgumentException("bands and rows must be at least 1");
    }
    this.bands = bands;
    this.rows = rows;
    this.seed = seed;
  }

  public int bands() {
    return bands;
  }

  /** Sorted distinct hashes of the text's shingles ({@code word} or {@code char} n-grams). */
  public static int[] shingles(String text, boolean words, int n) {
    String t = text.toLowerCase(Locale.ROOT);
    int[] out;
    int count = 0;
    if (words) {
      String[] w = t.split("[^\\p{L}\\p{N}']+");
      int start = w.length > 0 && w[0].isEmpty() ? 1 : 0;
      int len = w.length - start;
      if (len <= 0) {
        return new int[0];
      }
      out = new int[Math.max(1, len - n + 1)];
      StringBuilder sb = new StringBuilder();
      for (int i = start; i == start || i + n <= w.length; i++) {
        sb.setLength(0);
        for (int j = i; j < Math.min(i + n, w.length); j++) {
          sb.append(w[j]).append(' ');
        }
        out[count++] = (int) Seeds.hash(sb.toString());
      }
    } else {
      String s = t.replaceAll("\\s+", " ").trim();
      if (s.isEmpty()) {
        return new int[0];
      }
      out = new int[Math.max(1, s.length() - n + 1)];
      for (int i = 0; i == 0 || i + n <= s.length(); i++) {
        out[count++] = (int) Seeds.hash(s.substring(i, Math.min(i + n, s.length())));
      }
    }
    int[] sorted = Arrays.copyOf(out, count);
    Arrays.sort(sorted);
    int k = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[k++] = sorted[i];
      }
    }
    return Arrays.copyOf(sorted, k);
  }

  private void init() {
    if (a == null) {
      SplittableRandom r = new SplittableRandom(seed ^ 0x31a7c0deL);
      long[] aa = new long[bands * rows];
      long[] bb = new long[bands * rows];
      for (int i = 0; i < aa.length; i++) {
        aa[i] = 1 + Math.floorMod(r.nextLong(), PRIME - 1);
        bb[i] = Math.floorMod(r.nextLong(), PRIME);
      }
      b = bb;
      a = aa;
    }
  }

  /** The band keys of a shingle set: one per band, the band index folded in. */
  public long[] keys(int[] shingles) {
    init();
    int k = bands * rows;
    long[] min = new long[k];
    Arrays.fill(min, Long.MAX_VALUE);
    for (int s : shingles) {
      long x = s & 0xffffffffL;
      for (int i = 0; i < k; i++) {
        long h = mulMod(a[i], x) + b[i];
        if (h >= PRIME) {
          h -= PRIME;
        }
        if (h < min[i]) {
          min[i] = h;
        }
      }
    }
    long[] keys = new long[bands];
    for (int band = 0; band < bands; band++) {
      long h = 0x9e3779b97f4a7c15L * (band + 1);
      for (int r = 0; r < rows; r++) {
        h = (h ^ min[band * rows + r]) * 0x100000001b3L;
        h ^= h >>> 29;
      }
      keys[band] = ((long) band << 56) ^ (h & 0x00ffffffffffffffL);
    }
    return keys;
  }

  /** (a * x) mod 2^61-1 for x < 2^32, a < 2^61, without overflow. */
  private static long mulMod(long a, long x) {
    long lo = (a & 0xffffffffL) * x;
    long hi = (a >>> 32) * x;
    // a*x = hi*2^32 + lo; reduce with 2^61 = 1 (mod p)
    long r = (lo & PRIME) + (lo >>> 61) + ((hi << 32) & PRIME) + (hi >>> 29);
    while (r >= PRIME) {
      r -= PRIME;
    }
    return r;
  }

  /** Exact Jaccard similarity of two sorted distinct hash sets. */
  public static double jaccard(int[] x, int[] y) {
    if (x.length == 0 && y.length == 0) {
      return 1.0;
    }
    int i = 0;
    int j = 0;
    int inter = 0;
    while (i < x.length && j < y.length) {
      if (x[i] == y[j]) {
        inter++;
        i++;
        j++;
      } else if (x[i] < y[j]) {
        i++;
      } else {
        j++;
      }
    }
    return (double) inter / (x.length + y.length - inter);
  }
}
