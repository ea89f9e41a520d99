package io.convoforge.core.dedup;

import java.io.Serializable;
import java.util.Arrays;
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
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
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

  /**
   * Sorted distinct hashes of the text's shingles ({@code word} or {@code char} n-grams) of the
   * lower-cased text. Words are the maximal runs of letters, digits and apostrophes; a text
   * shorter than {@code n} words (characters) is one shingle. One pass over the characters, no
   * intermediate strings: each word is hashed once and a shingle's hash combines its words'.
   */
  public static int[] shingles(String text, boolean words, int n) {
    return words ? sortedDistinct(wordShingles(text, n)) : sortedDistinct(charShingles(text, n));
  }

  private static int[] wordShingles(String t, int n) {
    long[] words = new long[16];
    int count = 0;
    long h = 0;
    boolean in = false;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (Character.isLetterOrDigit(c) || c == '\'' || isOtherNumber(c)) {
        if (!in) {
          h = FNV_OFFSET;
          in = true;
        }
        h = (h ^ Character.toLowerCase(c)) * FNV_PRIME;
      } else if (in) {
        if (count == words.length) {
          words = Arrays.copyOf(words, count * 2);
        }
        words[count++] = h;
        in = false;
      }
    }
    if (in) {
      if (count == words.length) {
        words = Arrays.copyOf(words, count + 1);
      }
      words[count++] = h;
    }
    if (count == 0) {
      return new int[0];
    }
    int shingles = Math.max(1, count - n + 1);
    int[] out = new int[shingles];
    for (int i = 0; i < shingles; i++) {
      long x = 0x9e3779b97f4a7c15L;
      for (int j = i; j < Math.min(i + n, count); j++) {
        x = (x ^ words[j]) * FNV_PRIME;
        x ^= x >>> 29;
      }
      out[i] = (int) mix(x);
    }
    return out;
  }

  private static int[] charShingles(String text, int n) {
    // Lower-cased, whitespace runs collapsed to one space, trimmed.
    StringBuilder sb = new StringBuilder(text.length());
    boolean space = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        space = sb.length() > 0;
      } else {
        if (space) {
          sb.append(' ');
          space = false;
        }
        sb.append(Character.toLowerCase(c));
      }
    }
    int len = sb.length();
    if (len == 0) {
      return new int[0];
    }
    int shingles = Math.max(1, len - n + 1);
    int[] out = new int[shingles];
    for (int i = 0; i < shingles; i++) {
      long x = FNV_OFFSET;
      for (int j = i; j < Math.min(i + n, len); j++) {
        x = (x ^ sb.charAt(j)) * FNV_PRIME;
      }
      out[i] = (int) mix(x);
    }
    return out;
  }

  private static boolean isOtherNumber(char c) {
    int type = Character.getType(c);
    return type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
  }

  private static int[] sortedDistinct(int[] hashes) {
    Arrays.sort(hashes);
    int k = 0;
    for (int i = 0; i < hashes.length; i++) {
      if (i == 0 || hashes[i] != hashes[i - 1]) {
        hashes[k++] = hashes[i];
      }
    }
    return k == hashes.length ? hashes : Arrays.copyOf(hashes, k);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private void init() {
    if (a == null) {
      SplittableRandom r = new SplittableRandom(seed ^ 0x31a7c0deL);
      long[] aa = new long[bands * rows];
      long[] bb = new long[bands * rows];
      for (int i = 0; i < aa.length; i++) {
        aa[i] = r.nextLong();
        bb[i] = r.nextLong();
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
    long[] aa = a;
    long[] bb = b;
    for (int s : shingles) {
      long x = s & 0xffffffffL;
      for (int i = 0; i < k; i++) {
        // Multiply-add-shift (Dietzfelbinger): a 2-independent 32-bit hash of a 32-bit key,
        // one multiplication instead of a reduction modulo a prime.
        long h = (aa[i] * x + bb[i]) >>> 32;
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
