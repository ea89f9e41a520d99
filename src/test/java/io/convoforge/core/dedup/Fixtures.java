package io.convoforge.core.dedup;

import io.convoforge.core.embed.Vectors;
import io.convoforge.core.model.Judgement;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Tiny conversations built in the test, with planted near-duplicates. */
public final class Fixtures {
  private Fixtures() {}

  /** The coder of fixture records (their payload is a string). */
  public static final RecordCoder<String> CODER = RecordCoder.of(String.class);

  /** A judged two-message dialogue of slice {@code task}. */
  public static Record<String> conv(String id, String task, double score, String text) {
    return new Record<>(id, "test", "test", Map.of("task", task),
        List.of(Message.of(Message.USER, text), Message.of(Message.ASSISTANT, "Done.")), "",
        new Judgement(true, score, Map.of()), null, Map.of());
  }

  public static Record<String> withVector(Record<String> c, float[] v) {
    return c.withEmbedding(Vectors.normalized(v));
  }

  public static float[] random(SplittableRandom r, int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return Vectors.normalized(v);
  }

  /** v plus noise of the given size, normalised (cosine to v about 1 - noise^2 / 2). */
  public static float[] near(SplittableRandom r, float[] v, double noise) {
    float[] n = random(r, v.length);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] + noise * n[i]);
    }
    return Vectors.normalized(out);
  }

  /** Random word soup of n words from a vocabulary of 2,000. */
  public static String words(SplittableRandom r, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("w").append(r.nextInt(2000)).append(' ');
    }
    return sb.toString().trim();
  }

  /** The text with k words replaced. */
  public static String mutate(SplittableRandom r, String text, int k) {
    List<String> w = new ArrayList<>(List.of(text.split(" ")));
    for (int i = 0; i < k; i++) {
      w.set(r.nextInt(w.size()), "x" + r.nextInt(100000));
    }
    return String.join(" ", w);
  }
}
