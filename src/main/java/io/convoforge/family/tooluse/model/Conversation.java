package io.convoforge.family.tooluse.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.convoforge.core.model.Canonical;
import io.convoforge.core.model.Judgement;
import io.convoforge.family.tooluse.ToolUseCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tool-use conversation as the family's stages work on it and as it is written: the record
 * envelope's slice (task, chain, outcome), payload ({@link ToolUse}) and messages (as {@link
 * Turn}s) in one value (see {@link ToolUseCodec}). Each stage returns a copy with its part
 * filled in. The output format, documented in {@code schemas/conversation.schema.json}.
 */
@JsonPropertyOrder({
  "id", "recipe", "task_id", "chain_id", "outcome", "persona", "initial_entities", "turns",
  "judgement", "plan", "metadata", "lineage"
})
public record Conversation(
    String id,
    String recipe,
    @JsonProperty("task_id") String taskId,
    @JsonProperty("chain_id") String chainId,
    String outcome,
    Map<String, String> persona,
    Plan plan,
    @JsonProperty("initial_entities") Map<String, Map<String, Object>> initialEntities,
    List<Turn> turns,
    Judgement judgement,
    Map<String, Object> metadata,
    Map<String, Object> lineage) {

  public static final String SUCCESS = "success";
  public static final String FAILURE = "failure";

  public Conversation {
    metadata = metadata == null ? Map.of() : Canonical.sorted(metadata);
    lineage = lineage == null ? Map.of() : Canonical.sorted(lineage);
    persona = Canonical.sorted(persona);
    initialEntities = Canonical.sortedNested(initialEntities);
  }

  public Conversation withPlan(Plan p) {
    return new Conversation(id, recipe, taskId, chainId, outcome, persona, p, initialEntities,
        turns, judgement, metadata, lineage);
  }

  public Conversation withInitialEntities(Map<String, Map<String, Object>> entities) {
    return new Conversation(id, recipe, taskId, chainId, outcome, persona, plan, entities, turns,
        judgement, metadata, lineage);
  }

  public Conversation withTurns(List<Turn> t) {
    return new Conversation(id, recipe, taskId, chainId, outcome, persona, plan, initialEntities,
        t, judgement, metadata, lineage);
  }

  public Conversation withJudgement(Judgement j) {
    return new Conversation(id, recipe, taskId, chainId, outcome, persona, plan, initialEntities,
        turns, j, metadata, lineage);
  }

  /** A copy with one more lineage entry (kept in key order). */
  public Conversation withLineage(String key, Object value) {
    Map<String, Object> l = new TreeMap<>(lineage);
    l.put(key, value);
    return new Conversation(id, recipe, taskId, chainId, outcome, persona, plan, initialEntities,
        turns, judgement, metadata, l);
  }

  /** A copy with one more metadata entry. */
  public Conversation withMetadata(String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(metadata);
    m.put(key, value);
    return new Conversation(id, recipe, taskId, chainId, outcome, persona, plan, initialEntities,
        turns, judgement, m, lineage);
  }

  @JsonIgnore
  public boolean isFailure() {
    return FAILURE.equals(outcome);
  }
}
