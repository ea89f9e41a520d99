package io.convoforge.family.scenario.batch;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.convoforge.family.scenario.ScenarioPlan;
import io.convoforge.family.scenario.model.Transcript;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content of {@code batches/<id>/batch.json}: the batch's metadata and its conversations.
 * {@code size} is the number of conversations it holds, {@code planned} its slots in the plan: a
 * run writes the batch's accepted conversations, so a slot whose call a stage rejected (see the
 * run's rejected records) leaves {@code size < planned}. {@code run_id} names the run
 * configuration that made it (its conversations' lineage run id): the same batch id under
 * another configuration is another batch.
 *
 * <p>{@code created_at} is deterministic: the batch's logical start, i.e. its first message's
 * timestamp (from the spec's timing), or absent when the spec has no timing. The wall clock is
 * recorded only by the registry, so rewriting the same batch gives the same bytes.
 */
@JsonPropertyOrder({
  "id", "index", "prompt_id", "prompt_title", "prompt_sha256", "prompt_path", "language",
  "scenario_mode", "scenario", "size", "planned", "created_at", "run_id", "scenario_counts",
  "conversations"
})
public record BatchFile(
    String id,
    int index,
    @JsonProperty("prompt_id") String promptId,
    @JsonProperty("prompt_title") String promptTitle,
    @JsonProperty("prompt_sha256") String promptSha256,
    @JsonProperty("prompt_path") String promptPath,
    String language,
    @JsonProperty("scenario_mode") String scenarioMode,
    String scenario,
    int size,
    int planned,
    @JsonProperty("created_at") String createdAt,
    @JsonProperty("run_id") String runId,
    @JsonProperty("scenario_counts") Map<String, Integer> scenarioCounts,
    List<Transcript> conversations) {

  public BatchFile {
    scenarioCounts = new TreeMap<>(scenarioCounts);
    conversations = List.copyOf(conversations);
  }

  /**
   * The batch {@code index} of {@code plan} holding {@code conversations} (in slot order).
   * {@code promptPath} is recorded as given (a run gives the spec's file name, so that the
   * batch's bytes do not depend on the directory it ran from; the registry keeps the full path). Fails with {@link IllegalArgumentException} when
   * there are none, more than the batch's slots, or one belongs to another batch.
   */
  public static BatchFile of(ScenarioPlan plan, int index, String promptPath,
      List<Transcript> conversations) {
    String id = plan.batchId(index);
    if (conversations.isEmpty() || conversations.size() > plan.size(index)) {
      throw new IllegalArgumentException("batch " + id + " has " + plan.size(index)
          + " slots, got " + conversations.size() + " conversations");
    }
    Map<String, Integer> counts = new TreeMap<>();
    for (Transcript t : conversations) {
      if (!id.equals(t.batchId())) {
        throw new IllegalArgumentException("conversation " + t.id() + " is of batch "
            + t.batchId() + ", not " + id);
      }
      counts.merge(t.scenario().id(), 1, Integer::sum);
    }
    return new BatchFile(id, index, plan.spec().id(), plan.spec().title(), plan.spec().sha256(),
        promptPath, plan.spec().language(), plan.mode().wire(), plan.fixedScenario(),
        conversations.size(), plan.size(index), conversations.get(0).firstTimestamp(),
        runId(conversations.get(0)), counts, conversations);
  }

  /** The run configuration that made a conversation (its lineage's run id), or null. */
  private static String runId(Transcript t) {
    Object id = t.lineage().get("run_id");
    return id == null ? null : String.valueOf(id);
  }
}
