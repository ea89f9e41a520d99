package io.convoforge.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * A deterministic coder for the immutable JSON-shaped records of this project. Deterministic
 * because {@link Json#MAPPER} writes record fields in declaration order and map entries in key
 * order, so equal values always encode to equal bytes.
 */
public final class JsonCoder<T> extends CustomCoder<T> {
  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();
  private final Class<T> type;

  private JsonCoder(Class<T> type) {
    this.type = type;
  }

  public static <T> JsonCoder<T> of(Class<T> type) {
    return new JsonCoder<>(type);
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    BYTES.encode(Json.MAPPER.writeValueAsBytes(value), out);
  }

  @Override
  public T decode(InputStream in) throws IOException {
    return Json.MAPPER.readValue(BYTES.decode(in), type);
  }

  /** The bytes this coder wraps for {@code value} (for carrying records as opaque bytes). */
  public static byte[] encodeBytes(Object value) {
    try {
      return Json.MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  /** The inverse of {@link #encodeBytes}. */
  public static <T> T decodeBytes(byte[] bytes, Class<T> type) {
    try {
      return Json.MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode a " + type.getSimpleName(), e);
    }
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean equals(Object other) {
    return other instanceof JsonCoder<?> && ((JsonCoder<?>) other).type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }
}
