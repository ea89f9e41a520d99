package io.convoforge.family.tooluse.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.convoforge.core.model.Canonical;
import java.util.Map;

/**
 * The tool-use family's payload in the record envelope: the persona, the workflow's plan, the
 * seed rows the conversation starts from ({@code initial_entities}) and the family's metadata
 * (the task's name, goal and workflow, the failing tool, the repair's findings). The task,
 * chain and outcome are the record's slice; the dialogue is its messages.
 */
public record ToolUse(
    Map<String, String> persona,
    Plan plan,
    @JsonProperty("initial_entities") Map<String, Map<String, Object>> initialEntities,
    Map<String, Object> metadata) {

  public ToolUse {
    persona = Canonical.sorted(persona);
    initialEntities = Canonical.sortedNested(initialEntities);
    metadata = metadata == null ? Map.of() : Canonical.sorted(metadata);
  }
}
