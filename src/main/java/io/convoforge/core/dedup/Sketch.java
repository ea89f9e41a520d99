package io.convoforge.core.dedup;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

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
      byte[] id = s.id().getBytes(StandardCharsets.UTF_8);
      float[] v = s.vector() == null ? new float[0] : s.vector();
      int[] sh = s.shingles() == null ? new int[0] : s.shingles();
      // One buffer, one write: these are encoded and decoded on every shuffle (and, on the
      // DirectRunner, on every state copy), so no per-value stream calls.
      ByteBuffer b = ByteBuffer.allocate(4 + id.length + 1 + 8 + 4 + 4 * v.length + 4
          + 4 * sh.length);
      b.putInt(id.length).put(id).put((byte) (s.anchor() ? 1 : 0)).putDouble(s.score());
      b.putInt(v.length);
      b.asFloatBuffer().put(v);
      b.position(b.position() + 4 * v.length);
      b.putInt(sh.length);
      b.asIntBuffer().put(sh);
      VarInt.encode(b.capacity(), os);
      os.write(b.array());
    }

    @Override
    public Sketch decode(InputStream is) throws IOException {
      byte[] bytes = new byte[VarInt.decodeInt(is)];
      new DataInputStream(is).readFully(bytes);
      ByteBuffer b = ByteBuffer.wrap(bytes);
      byte[] id = new byte[b.getInt()];
      b.get(id);
      boolean anchor = b.get() != 0;
      double score = b.getDouble();
      float[] v = new float[b.getInt()];
      b.asFloatBuffer().get(v);
      b.position(b.position() + 4 * v.length);
      int[] sh = new int[b.getInt()];
      b.asIntBuffer().get(sh);
      return new Sketch(new String(id, StandardCharsets.UTF_8), anchor, score,
          v.length == 0 ? null : v, sh.length == 0 ? null : sh);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
