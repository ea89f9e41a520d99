package io.convoforge.family.tooluse.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.convoforge.core.model.Canonical;
import java.util.Map;

/**
 * One call of a planned conversation, in the order the calls are made. Entities are named by
 * handles such as {@code Client#1} until the arguments stage binds them to keys. {@code refs}
 * maps a foreign-key property to the handle it points at; {@code target} is the entity a
 * get/update/delete/search acts on; {@code creates} the handle a create produces. {@code
 * failure} is the intended error of a failing step and {@code cause} why it fails in the story
 * ({@link io.convoforge.family.tooluse.recipe.FailureMix}). {@code role} says why the call is
 * made: {@code workflow} (a step of the task's workflow; the others are the dialogue's own
 * work), {@code find} (a search by name for a record the user names), {@code find_none} (the
 * same, finding nothing), {@code lookup} (reading a record before changing it), {@code verify}
 * (reading back a change), {@code follow_up} (a read answering a question), {@code fix} (an
 * update correcting a value), {@code retry} (the failed call again with the corrected value),
 * {@code show} (reading the record a unique value clashed with), {@code check} (a search before
 * a create that finds nothing), {@code pending} (a workflow step never reached, without
 * arguments). {@code about} is the index of
 * the step an extra call serves. {@code arguments} is filled by the arguments stage.
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
    Map<String, Object> arguments,
    String role,
    String cause,
    Integer about) {

  public static final String WORKFLOW = "workflow";
  /** A workflow step the conversation never reaches (after its failure): no arguments. */
  public static final String PENDING = "pending";

  public PlanStep {
    refs = Canonical.sorted(refs);
    arguments = Canonical.sorted(arguments);
  }

  /** A workflow step (no role, cause or link to another step). */
  public PlanStep(int index, String tool, String action, String table, Map<String, String> refs,
      String target, String creates, String failure, Map<String, Object> arguments) {
    this(index, tool, action, table, refs, target, creates, failure, arguments, WORKFLOW, null,
        null);
  }

  public PlanStep withArguments(Map<String, Object> args) {
    return new PlanStep(index, tool, action, table, refs, target, creates, failure, args, role,
        cause, about);
  }

  @JsonProperty("failing")
  public boolean failing() {
    return failure != null;
  }

  /** True for a step of the task's workflow, reached or not (older records have no role). */
  @JsonIgnore
  public boolean isWorkflow() {
    return role == null || WORKFLOW.equals(role) || PENDING.equals(role);
  }
}
