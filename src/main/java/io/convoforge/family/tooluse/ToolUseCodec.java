package io.convoforge.family.tooluse;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCodec;
import io.convoforge.core.model.RecordCoder;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.ToolUse;
import io.convoforge.family.tooluse.model.Turns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tool-use family's records as {@link Conversation}s: the view its stages work on ({@link
 * #view}, {@link #update}) and its output format ({@link #render}, {@link #parse}: the
 * conversation JSON of {@code schemas/conversation.schema.json}, its slice as {@code task_id},
 * {@code chain_id} and {@code outcome}, a kept embedding as {@code metadata.embedding}).
 */
public final class ToolUseCodec implements RecordCodec {
  public static final String KIND = "tool-use";
  /** Slice keys. */
  public static final String TASK = "task";
  public static final String CHAIN = "chain";
  public static final String OUTCOME = "outcome";
  static final String EMBEDDING = "embedding";

  /** The conversation a record is (no embedding). */
  public static Conversation view(Record<ToolUse> r) {
    ToolUse p = r.payload();
    return new Conversation(r.id(), r.recipe(), r.slice(TASK), r.slice(CHAIN), r.slice(OUTCOME),
        p.persona(), p.plan(), p.initialEntities(), Turns.of(r.messages()), r.judgement(),
        p.metadata(), r.lineage());
  }

  /** The record with a stage's work on its conversation (slice and embedding unchanged). */
  public static Record<ToolUse> update(Record<ToolUse> r, Conversation c) {
    return new Record<>(r.id(), c.recipe(), r.kind(), r.slice(), Turns.toMessages(c.turns()),
        new ToolUse(c.persona(), c.plan(), c.initialEntities(), c.metadata()), c.judgement(),
        r.embedding(), c.lineage());
  }

  /** A new record of a conversation (as sampled, or read back). */
  public static Record<ToolUse> record(Conversation c, float[] embedding) {
    Map<String, String> slice = new TreeMap<>();
    slice.put(TASK, c.taskId());
    if (c.chainId() != null) {
      slice.put(CHAIN, c.chainId());
    }
    slice.put(OUTCOME, c.outcome());
    return new Record<>(c.id(), c.recipe(), KIND, slice, Turns.toMessages(c.turns()),
        new ToolUse(c.persona(), c.plan(), c.initialEntities(), c.metadata()), c.judgement(),
        embedding, c.lineage());
  }

  @Override
  public RecordCoder<ToolUse> coder() {
    return RecordCoder.of(ToolUse.class);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object render(Record<?> r) {
    Conversation c = view((Record<ToolUse>) r);
    if (r.embedding() == null) {
      return c;
    }
    List<Float> v = new ArrayList<>(r.embedding().length);
    for (float f : r.embedding()) {
      v.add(f);
    }
    return c.withMetadata(EMBEDDING, v);
  }

  @Override
  public Record<?> parse(JsonNode line) {
    Conversation c = Json.MAPPER.convertValue(line, Conversation.class);
    if (c.id() == null || c.turns() == null || c.outcome() == null) {
      throw new IllegalArgumentException("a tool-use conversation needs id, outcome and turns");
    }
    float[] embedding = null;
    if (c.metadata().get(EMBEDDING) instanceof List<?> list) {
      embedding = new float[list.size()];
      for (int i = 0; i < embedding.length; i++) {
        embedding[i] = ((Number) list.get(i)).floatValue();
      }
      Map<String, Object> m = new LinkedHashMap<>(c.metadata());
      m.remove(EMBEDDING);
      c = new Conversation(c.id(), c.recipe(), c.taskId(), c.chainId(), c.outcome(),
          c.persona(), c.plan(), c.initialEntities(), c.turns(), c.judgement(), m, c.lineage());
    }
    return record(c, embedding);
  }
}
