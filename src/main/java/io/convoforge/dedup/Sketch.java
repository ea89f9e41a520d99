package io.convoforge.dedup;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Comparator;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * What dedup ships to a bucket instead of the whole conversation: the id, the preference (anchor
 * flag, judge score) and the features one method compares (a unit vector or a sorted set of
 * shingle hashes). Small, with a compact deterministic coder.
 *
 * <p>{@link #PREFERRED} orders the more preferred first: anchors (already accepted in an earlier
 * round or run), then higher judge score, then smaller id.
 */
public record Sketch(String id, boolean anchor, double score, float[] vector, int[] shingles) {

  public static final Comparator<Sketch> PREFERRED = Comparator
      .comparing((Sketch s) -> !s.anchor())
      .thenComparing(Comparator.comparingDouble(Sketch::score).reversed())
      .thenComparing(Sketch::id);

  /** A compact binary coder (deterministic: same sketch, same bytes). */
  public static final class SketchCoder extends CustomCoder<Sketch> {
    private static final SketchCoder INSTANCE = new SketchCoder();

    public static SketchCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Sketch s, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeUTF(s.id());
      out.writeBoolean(s.anchor());
      out.writeDouble(s.score());
      float[] v = s.vector() == null ? new float[0] : s.vector();
      out.writeInt(v.length);
      for (float f : v) {
        out.writeFloat(f);
      }
      int[] sh = s.shingles() == null ? new int[0] : s.shingles();
      out.writeInt(sh.length);
      for (int x : sh) {
        out.writeInt(x);
      }
      out.flush();
    }

    @Override
    public Sketch decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      String id = in.readUTF();
      boolean anchor = in.readBoolean();
      double score = in.readDouble();
      float[] v = new float[in.readInt()];
      for (int i = 0; i < v.length; i++) {
        v[i] = in.readFloat();
      }
      int[] sh = new int[in.readInt()];
      for (int i = 0; i < sh.length; i++) {
        sh[i] = in.readInt();
      }
      return new Sketch(id, anchor, score, v.length == 0 ? null : v,
          sh.length == 0 ? null : sh);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
