package io.convoforge.family.groundedqa;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Judgement;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCodec;
import io.convoforge.core.model.RecordCoder;
import java.util.List;
import java.util.Map;

/**
 * The grounded Q&A output format ({@code schemas/grounded-qa-conversation.schema.json}): a
 * dialogue with its {@code source} (chunk, pair, question, answer, evidence), {@code persona},
 * {@code style}, {@code messages} (user and assistant), {@code judgement} (a verdict per rubric
 * criterion and rule), {@code slice} and {@code lineage}; a kept embedding as {@code embedding}.
 */
final class GroundedQaCodec implements RecordCodec {
  static final String KIND = "grounded-qa";

  /** Where a dialogue comes from. */
  @JsonPropertyOrder({"chunk_id", "qa_id", "heading", "question", "answer", "evidence"})
  record Source(@JsonProperty("chunk_id") String chunkId, @JsonProperty("qa_id") String qaId,
      String heading, String question, String answer, String evidence) {}

  /** One output line. */
  @JsonPropertyOrder({"id", "recipe", "kind", "source", "persona", "style", "slice", "messages",
      "judgement", "embedding", "lineage"})
  record Dialogue(String id, String recipe, String kind, Source source, Persona persona,
      Style style, Map<String, String> slice, List<Message> messages, Judgement judgement,
      float[] embedding, Map<String, Object> lineage) {}

  @Override
  public RecordCoder<GroundedQa> coder() {
    return GroundedQaContext.CODER;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object render(Record<?> any) {
    Record<GroundedQa> r = (Record<GroundedQa>) any;
    QaPair p = r.payload().pair();
    return new Dialogue(r.id(), r.recipe(), r.kind(), new Source(p.chunkId(), p.id(),
        p.heading(), p.question(), p.answer(), p.evidence()), r.payload().persona(),
        r.payload().style(), r.slice(), r.messages(), r.judgement(), r.embedding(),
        r.lineage());
  }

  @Override
  public Record<?> parse(JsonNode line) {
    Dialogue d = Json.MAPPER.convertValue(line, Dialogue.class);
    if (d.id() == null || d.source() == null || d.messages() == null || d.persona() == null
        || d.style() == null) {
      throw new IllegalArgumentException(
          "a grounded-qa dialogue needs id, source, persona, style and messages");
    }
    Source s = d.source();
    QaPair pair = new QaPair(s.qaId(), s.chunkId(), s.heading(), s.question(), s.answer(),
        s.evidence());
    return new Record<>(d.id(), d.recipe(), d.kind() == null ? KIND : d.kind(), d.slice(),
        d.messages(), new GroundedQa(null, pair, new Validation(true, List.of(), ""),
            d.persona(), d.style()), d.judgement(), d.embedding(), d.lineage());
  }
}
