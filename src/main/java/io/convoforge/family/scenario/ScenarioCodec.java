package io.convoforge.family.scenario;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Judgement;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCodec;
import io.convoforge.core.model.RecordCoder;
import io.convoforge.family.scenario.model.Role;
import io.convoforge.family.scenario.model.ScenarioCall;
import io.convoforge.family.scenario.model.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scenario-dialogue family's output format: an accepted record renders as a {@link
 * Transcript} ({@code id}, {@code batch_id}, {@code prompt_id}, {@code scenario {id, title}},
 * {@code language}, {@code messages} of {@code role} agent|client, {@code text}, {@code
 * timestamp}, {@code judgement}, {@code lineage}): the line of {@code conversations*.jsonl} and
 * the content of {@code batches/<batch>/conversations/<id>.json}. {@link #parse} reads one back
 * into the record envelope (slice {@code scenario}, {@code batch}, {@code language}, {@code
 * prompt}; the payload's batch index and slot from the lineage). An embedding is not written.
 */
public final class ScenarioCodec implements RecordCodec {
  public static final String KIND = "scenario-dialogue";
  /** Slice keys. */
  public static final String SCENARIO = "scenario";
  public static final String BATCH = "batch";
  public static final String LANGUAGE = "language";
  public static final String PROMPT = "prompt";
  /** Lineage keys of the call's place in the plan. */
  static final String BATCH_INDEX = "batch_index";
  static final String SLOT = "slot";
  /** The coder of the family's records. */
  public static final RecordCoder<ScenarioCall> CODER = RecordCoder.of(ScenarioCall.class);

  @Override
  public Transcript render(Record<?> r) {
    ScenarioCall p = (ScenarioCall) r.payload();
    Map<String, Object> judgement = r.judgement() == null ? null
        : Json.MAPPER.convertValue(r.judgement(), new TypeReference<Map<String, Object>>() {});
    return new Transcript(r.id(), r.slice(BATCH), r.slice(PROMPT),
        new Transcript.ScenarioRef(r.slice(SCENARIO), p == null ? null : p.title()),
        r.slice(LANGUAGE), transcriptMessages(r.messages()), judgement, r.lineage());
  }

  @Override
  public RecordCoder<ScenarioCall> coder() {
    return CODER;
  }

  @Override
  public Record<ScenarioCall> parse(JsonNode line) {
    Transcript t = Json.MAPPER.convertValue(line, Transcript.class);
    if (t.id() == null || t.batchId() == null || t.scenario() == null || t.messages() == null) {
      throw new IllegalArgumentException(
          "a scenario-dialogue record needs id, batch_id, scenario and messages");
    }
    Map<String, String> slice = new TreeMap<>();
    slice.put(SCENARIO, t.scenario().id());
    slice.put(BATCH, t.batchId());
    slice.put(LANGUAGE, t.language());
    slice.put(PROMPT, t.promptId());
    slice.values().removeIf(v -> v == null);
    Judgement j = t.judgement() == null ? null
        : Json.MAPPER.convertValue(t.judgement(), Judgement.class);
    ScenarioCall payload = new ScenarioCall(t.scenario().title(),
        number(t.lineage().get(BATCH_INDEX)), number(t.lineage().get(SLOT)));
    Object recipe = t.lineage().get("recipe");
    return new Record<>(t.id(), recipe == null ? null : String.valueOf(recipe), KIND, slice,
        recordMessages(t.messages()), payload, j, null, t.lineage());
  }

  /** The envelope's messages as a transcript's (role agent|client; another role: null). */
  public static List<io.convoforge.family.scenario.model.Message> transcriptMessages(
      List<Message> messages) {
    List<io.convoforge.family.scenario.model.Message> out = new ArrayList<>(messages.size());
    for (Message m : messages) {
      out.add(new io.convoforge.family.scenario.model.Message(Role.parse(m.role()), m.text(),
          m.timestamp()));
    }
    return out;
  }

  /** A transcript's messages as the envelope's. */
  public static List<Message> recordMessages(
      List<io.convoforge.family.scenario.model.Message> messages) {
    List<Message> out = new ArrayList<>(messages.size());
    for (io.convoforge.family.scenario.model.Message m : messages) {
      out.add(new Message(m.role() == null ? null : m.role().wire(), m.text(), m.timestamp(),
          null, null));
    }
    return out;
  }

  private static int number(Object v) {
    return v instanceof Number n ? n.intValue() : 0;
  }
}
