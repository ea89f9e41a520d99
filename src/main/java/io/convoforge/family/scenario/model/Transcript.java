package io.convoforge.family.scenario.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A generated call: the record written as {@code conversations/<id>.json}, inside {@code
 * batch.json}, and registered. {@code judgement} is optional (a judge's verdict, free JSON);
 * {@code lineage} says where the call came from (backend, phrase bank, seed, batch slot), kept in
 * key order so equal calls serialize to equal bytes.
 */
@JsonPropertyOrder({
  "id", "batch_id", "prompt_id", "scenario", "language", "messages", "judgement", "lineage"
})
public record Transcript(
    String id,
    @JsonProperty("batch_id") String batchId,
    @JsonProperty("prompt_id") String promptId,
    ScenarioRef scenario,
    String language,
    List<Message> messages,
    Map<String, Object> judgement,
    Map<String, Object> lineage)
    implements Serializable {

  /** The scenario a call was generated under, by id and title. */
  @JsonPropertyOrder({"id", "title"})
  public record ScenarioRef(String id, String title) implements Serializable {}

  public Transcript {
    messages = List.copyOf(messages);
    judgement = judgement == null ? null : new TreeMap<>(judgement);
    lineage = lineage == null ? Map.of() : canonical(lineage);
  }

  /** Whole numbers as JSON reads them back (int when it fits), so a record equals its copy. */
  private static Map<String, Object> canonical(Map<String, Object> m) {
    TreeMap<String, Object> out = new TreeMap<>(m);
    out.replaceAll((k, v) -> v instanceof Long && (Long) v == ((Long) v).intValue()
        ? Integer.valueOf(((Long) v).intValue()) : v);
    return out;
  }

  public Transcript withMessages(List<Message> m) {
    return new Transcript(id, batchId, promptId, scenario, language, m, judgement, lineage);
  }

  public Transcript withJudgement(Map<String, Object> j) {
    return new Transcript(id, batchId, promptId, scenario, language, messages, j, lineage);
  }

  /** The first message's timestamp, or {@code null} without timing. */
  public String firstTimestamp() {
    return messages.isEmpty() ? null : messages.get(0).timestamp();
  }

  /** The last message's timestamp, or {@code null} without timing. */
  public String lastTimestamp() {
    return messages.isEmpty() ? null : messages.get(messages.size() - 1).timestamp();
  }
}
