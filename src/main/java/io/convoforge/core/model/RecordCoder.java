package io.convoforge.core.model;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * The deterministic coder of {@link Record}s whose payload is of class {@code P}: the record's
 * JSON (map entries in key order, see {@link Json}), decoded with the payload bound to its class.
 * Every collection of records has one, set by the stage that makes it.
 */
public final class RecordCoder<P> extends CustomCoder<Record<P>> {
  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();
  private final Class<P> payload;
  private transient ObjectReader reader;

  private RecordCoder(Class<P> payload) {
    this.payload = payload;
  }

  public static <P> RecordCoder<P> of(Class<P> payload) {
    return new RecordCoder<>(payload);
  }

  public Class<P> payloadClass() {
    return payload;
  }

  @Override
  public void encode(Record<P> value, OutputStream out) throws IOException {
    BYTES.encode(Json.MAPPER.writeValueAsBytes(value), out);
  }

  @Override
  public Record<P> decode(InputStream in) throws IOException {
    return reader().readValue(BYTES.decode(in));
  }

  /** Reads a record of this payload class from its JSON. */
  public Record<P> read(byte[] json) {
    try {
      return reader().readValue(json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private ObjectReader reader() {
    if (reader == null) {
      JavaType t = Json.MAPPER.getTypeFactory().constructParametricType(Record.class, payload);
      reader = Json.MAPPER.readerFor(t);
    }
    return reader;
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean equals(Object other) {
    return other instanceof RecordCoder<?> c && c.payload.equals(payload);
  }

  @Override
  public int hashCode() {
    return payload.hashCode();
  }
}
