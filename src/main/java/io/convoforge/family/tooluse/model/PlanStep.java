package io.convoforge.family.tooluse.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.convoforge.core.model.Canonical;
import java.util.Map;

/**
 * One step of a planned workflow. Entities are named by handles such as {@code Client#1} until the
 * arguments stage binds them to keys. {@code refs} maps a foreign-key property to the handle it
 * points at; {@code target} is the entity a get/update/delete/search acts on; {@code creates} the
 * handle a create produces. {@code failure} is the intended error of a failing step.
 * {@code arguments} is filled by the arguments stage.
 */
public record PlanStep(
    int index,
    String tool,
    String action,
    String table,
    Map<String, String> refs,
    String target,
    String creates,
    String failure,
    Map<String, Object> arguments) {

  public PlanStep {
    refs = Canonical.sorted(refs);
    arguments = Canonical.sorted(arguments);
  }

  public PlanStep withArguments(Map<String, Object> args) {
    return new PlanStep(index, tool, action, table, refs, target, creates, failure, args);
  }

  @JsonProperty("failing")
  public boolean failing() {
    return failure != null;
  }
}
