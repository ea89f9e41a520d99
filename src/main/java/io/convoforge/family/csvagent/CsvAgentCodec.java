package io.convoforge.family.csvagent;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Judgement;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCodec;
import io.convoforge.core.model.RecordCoder;
import io.convoforge.family.csvagent.stages.GenerateQuestions;
import java.util.List;
import java.util.Map;

/**
 * The csv-agent family's output format: one episode a line ({@code conversations*.jsonl}) with
 * its {@code question}, {@code dataset} (file and sha256), labelled {@code difficulty} and
 * {@code observed_difficulty} (from agreement), the dialogue as OpenAI chat {@code messages}
 * with the {@code tools} it may call, the SQL {@code trace}, the {@code answer}, the {@code
 * verification} of triangulation, the {@code slice}, the {@code judgement} and {@code lineage}
 * ({@link Line}). A record the episodes stage has not reached (a questions-only recipe) has no
 * messages, trace or verification. {@link #parse} reads a line back into the record.
 */
public final class CsvAgentCodec implements RecordCodec {
  public static final String KIND = "csv-agent";
  /** Slice keys. */
  public static final String DATASET = "dataset";
  public static final String DIFFICULTY = "difficulty";
  public static final String SOURCE = "source";
  public static final String TEMPLATE = "template";

  /** One output line. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder({"id", "recipe", "kind", "dataset", "question", "difficulty",
      "observed_difficulty", "messages", "tools", "trace", "trace_index", "answer", "mistake",
      "verification", "slice", "judgement", "lineage"})
  public record Line(String id, String recipe, String kind, Question.Dataset dataset,
      Question question, Difficulty difficulty, Difficulty observedDifficulty,
      List<ChatMessage> messages, List<Map<String, Object>> tools, List<TraceStep> trace,
      Integer traceIndex, Object answer, String mistake, Verification verification,
      Map<String, String> slice, Judgement judgement, Map<String, Object> lineage) {}

  /** The line of a record. */
  public static Line line(Record<CsvItem> r) {
    CsvItem p = r.payload();
    Question q = p.question();
    Verification v = p.verification();
    return new Line(r.id(), r.recipe(), r.kind(), q.dataset(), q, q.difficulty(),
        v == null ? null : v.observedDifficulty(),
        p.solved() ? ChatFormat.toChat(r.messages()) : null,
        p.solved() ? EpisodeRecorder.TOOLS : null, p.trace(), p.traceIndex(), p.answer(),
        p.mistake(), v, r.slice(), r.judgement(), r.lineage());
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object render(Record<?> r) {
    return line((Record<CsvItem>) r);
  }

  @Override
  public RecordCoder<CsvItem> coder() {
    return GenerateQuestions.CODER;
  }

  @Override
  public Record<?> parse(JsonNode node) {
    Line l = Json.MAPPER.convertValue(node, Line.class);
    if (l.id() == null || l.question() == null) {
      throw new IllegalArgumentException("a csv-agent line needs id and question");
    }
    return new Record<>(l.id(), l.recipe(), l.kind() == null ? KIND : l.kind(), l.slice(),
        l.messages() == null ? List.of() : ChatFormat.toCore(l.messages()),
        new CsvItem(l.question(), l.traceIndex(), l.trace(), l.answer(), l.mistake(),
            l.verification()), l.judgement(), null, l.lineage());
  }
}
