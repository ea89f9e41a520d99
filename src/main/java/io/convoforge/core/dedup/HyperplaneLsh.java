package io.convoforge.core.dedup;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Random-hyperplane LSH for cosine similarity: {@code bands x rows} hyperplanes drawn from the
 * seed (so every worker derives the same ones); a vector's key in band b is the sign pattern of
 * its projections on that band's {@code rows} hyperplanes. Two vectors at angle theta agree on one
 * bit with probability {@code 1 - theta/pi}, so they share some band with probability {@code 1 -
 * (1 - p^rows)^bands}: about 0.98 at cosine 0.9 for the default 24 x 12.
 */
public final class HyperplaneLsh implements Serializable {
  private final int bands;
  private final int rows;
  private final int dimension;
  private final long seed;
  private transient float[][] planes;

  public HyperplaneLsh(int bands, int rows, int dimension, long seed) {
    if (bands < 1 || rows < 1 || rows > 63 || dimension < 1) {
      throw new IllegalArgumentException("bands >= 1, 1 <= rows <= 63 and dimension >= 1");
    }
    this.bands = bands;
    this.rows = rows;
    this.dimension = dimension;
    this.seed = seed;
  }

  public int bands() {
    return bands;
  }

  private float[][] planes() {
    if (planes == null) {
      SplittableRandom r = new SplittableRandom(seed ^ 0x5eed1a5bL);
      float[][] p = new float[bands * rows][dimension];
      for (float[] plane : p) {
        for (int i = 0; i < dimension; i++) {
          plane[i] = (float) gaussian(r);
        }
      }
      planes = p;
    }
    return planes;
  }

  /** The band keys of a vector: one per band, the band index folded in. */
  public long[] keys(float[] v) {
    if (v.length != dimension) {
      throw new IllegalArgumentException("vector of " + v.length + " dimensions; the LSH has "
          + dimension);
    }
    float[][] p = planes();
    long[] keys = new long[bands];
    for (int b = 0; b < bands; b++) {
      long bits = 0;
      for (int r = 0; r < rows; r++) {
        float[] plane = p[b * rows + r];
        double s = 0;
        for (int i = 0; i < dimension; i++) {
          s += plane[i] * v[i];
        }
        bits = (bits << 1) | (s >= 0 ? 1 : 0);
      }
      keys[b] = ((long) b << 56) ^ bits;
    }
    return keys;
  }

  private static double gaussian(SplittableRandom r) {
    double u1 = r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(Math.max(u1, 1e-300))) * Math.cos(2 * Math.PI * u2);
  }
}
