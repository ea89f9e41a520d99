package io.convoforge.core.embed;

/** The small vector arithmetic embedding and dedup need (vectors live in {@code Record}). */
public final class Vectors {
  private Vectors() {}

  public static float[] normalized(float[] v) {
    double s = 0;
    for (float f : v) {
      s += (double) f * f;
    }
    double n = Math.sqrt(s);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = n == 0 ? 0f : (float) (v[i] / n);
    }
    return out;
  }

  /** Cosine of two unit vectors. */
  public static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
