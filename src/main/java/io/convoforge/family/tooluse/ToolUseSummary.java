package io.convoforge.family.tooluse;

import io.convoforge.core.family.Summary;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.ToolUse;
import io.convoforge.family.tooluse.model.Turn;
import io.convoforge.family.tooluse.sandbox.Replayer;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.Tools;
import io.convoforge.family.tooluse.verify.DialogueMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tool-use family's statistics over the accepted conversations, combined inside the
 * pipeline: the success share and each task's share (for the distribution gates), empty
 * responses, execution failures on a sandbox replay of every conversation (an empty H2
 * database each), the repair stage's findings ({@code metadata.repair}: pre-repair failures by
 * type, seed rows added and completed) and the counts of the {@link DialogueSummary dialogue
 * metrics}: one decoding of each conversation for all of them.
 */
final class ToolUseSummary extends Summary<Record<?>, ToolUseSummary.Acc> {
  private final TablesSchema schema;
  private transient Replayer replayer;

  ToolUseSummary(TablesSchema schema) {
    super(Acc.class);
    this.schema = schema;
  }

  /** The accumulator: plain fields, coded as JSON. */
  public static final class Acc {
    public long conversations;
    public long success;
    public Map<String, Long> tasks = new TreeMap<>();
    public long turns;
    public long emptyResponses;
    public long executionFailures;
    public long failedConversations;
    public long repairChecked;
    public long repaired;
    public long entitiesAdded;
    public long entitiesCompleted;
    public Map<String, Long> prerepairFailures = new TreeMap<>();
    public DialogueMetrics.Acc dialogue = new DialogueMetrics.Acc();
  }

  @Override
  public Acc createAccumulator() {
    return new Acc();
  }

  @Override
  @SuppressWarnings("unchecked")
  public Acc addInput(Acc a, Record<?> r) {
    Conversation c = ToolUseCodec.view((Record<ToolUse>) r);
    a.conversations++;
    a.success += c.isFailure() ? 0 : 1;
    a.tasks.merge(c.taskId(), 1L, Long::sum);
    a.dialogue.add(c);
    for (Turn t : c.turns() == null ? java.util.List.<Turn>of() : c.turns()) {
      a.turns++;
      if (t.responseText() == null || t.responseText().isBlank()) {
        a.emptyResponses++;
      }
    }
    if (replayer == null) {
      replayer = new Replayer(schema, Tools.derive(schema));
    }
    int failures = replayer.replay(c, false).failures();
    a.executionFailures += failures;
    a.failedConversations += failures > 0 ? 1 : 0;
    if (c.metadata().get("repair") instanceof Map<?, ?> repair) {
      a.repairChecked++;
      Map<String, ?> found = repair.get("prerepair_failures") instanceof Map<?, ?> f
          ? (Map<String, ?>) f : Map.of();
      a.repaired += found.isEmpty() ? 0 : 1;
      found.forEach((k, v) -> a.prerepairFailures.merge(k, ((Number) v).longValue(),
          Long::sum));
      a.entitiesAdded += ((Number) repair.get("entities_added")).longValue();
      a.entitiesCompleted += ((Number) repair.get("entities_completed")).longValue();
    }
    return a;
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    Acc out = new Acc();
    for (Acc a : accs) {
      out.conversations += a.conversations;
      out.success += a.success;
      addCounts(out.tasks, a.tasks);
      out.turns += a.turns;
      out.emptyResponses += a.emptyResponses;
      out.executionFailures += a.executionFailures;
      out.failedConversations += a.failedConversations;
      out.repairChecked += a.repairChecked;
      out.repaired += a.repaired;
      out.entitiesAdded += a.entitiesAdded;
      out.entitiesCompleted += a.entitiesCompleted;
      addCounts(out.prerepairFailures, a.prerepairFailures);
      out.dialogue.merge(a.dialogue);
    }
    return out;
  }

  @Override
  public Map<String, Object> extractOutput(Acc a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("conversations", a.conversations);
    m.put("success", a.success);
    m.put("tasks", a.tasks);
    m.put("turns", a.turns);
    m.put("empty_responses", a.emptyResponses);
    m.put("execution_failures", a.executionFailures);
    m.put("failed_conversations", a.failedConversations);
    Map<String, Object> repair = new LinkedHashMap<>();
    repair.put("conversations_checked", a.repairChecked);
    repair.put("conversations_repaired", a.repaired);
    repair.put("prerepair_failures_by_type", a.prerepairFailures);
    repair.put("prerepair_failures_total",
        a.prerepairFailures.values().stream().mapToLong(Long::longValue).sum());
    repair.put("entities_added", a.entitiesAdded);
    repair.put("entities_completed", a.entitiesCompleted);
    m.put("repair", repair);
    m.put(DialogueSummary.COUNTS, Json.MAPPER.convertValue(a.dialogue, Map.class));
    return m;
  }

}
