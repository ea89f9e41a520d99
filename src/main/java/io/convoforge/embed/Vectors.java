package io.convoforge.embed;

import io.convoforge.model.Conversation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a conversation's vector lives ({@code metadata.embedding}, a list of floats) and the
 * small vector arithmetic dedup needs.
 */
public final class Vectors {
  public static final String KEY = "embedding";

  private Vectors() {}

  public static Conversation with(Conversation c, float[] v) {
    List<Float> list = new ArrayList<>(v.length);
    for (float f : v) {
      list.add(f);
    }
    return c.withMetadata(KEY, list);
  }

  /** The stored vector, or null when the conversation has none. */
  public static float[] of(Conversation c) {
    Object o = c.metadata().get(KEY);
    if (!(o instanceof List<?> list)) {
      return null;
    }
    float[] v = new float[list.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = ((Number) list.get(i)).floatValue();
    }
    return v;
  }

  /** A copy without the vector (the same object when there is none). */
  public static Conversation without(Conversation c) {
    if (!c.metadata().containsKey(KEY)) {
      return c;
    }
    Map<String, Object> m = new LinkedHashMap<>(c.metadata());
    m.remove(KEY);
    return new Conversation(c.id(), c.recipe(), c.taskId(), c.chainId(), c.outcome(),
        c.persona(), c.plan(), c.initialEntities(), c.turns(), c.judgement(), m, c.lineage());
  }

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
