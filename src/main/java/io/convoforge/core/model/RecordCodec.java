package io.convoforge.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;

/**
 * A family's output format: {@link #render} turns an accepted record into the JSON value of its
 * output line ({@code conversations*.jsonl}), {@link #parse} reads one back into the record
 * envelope (for gates, reports, viewers and exporters of an existing dataset).
 */
public interface RecordCodec extends Serializable {
  /** The output line of an accepted record, as a JSON-serialisable value. */
  Object render(Record<?> r);

  /** The record of an output line; throws {@link IllegalArgumentException} when it is none. */
  Record<?> parse(JsonNode line);

  /** The coder of the records {@link #parse} makes (their payload's class). */
  RecordCoder<?> coder();
}
