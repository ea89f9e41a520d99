package io.convoforge.family.tooluse.verify;

import io.convoforge.core.model.Record;
import io.convoforge.family.tooluse.model.ToolUse;
import io.convoforge.family.tooluse.stages.EnrichResponses;
import io.convoforge.family.tooluse.stages.RepairSeedMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code repair} section of report.json: pre-repair execution failures by type (summed over
 * the accepted conversations' {@code metadata.repair}), how many conversations needed a repair,
 * the seed rows added and completed, and the rejections of the repair and enrich stages by
 * reason (from the run's funnel).
 */
public final class RepairReport {
  private RepairReport() {}

  @SuppressWarnings("unchecked")
  public static Map<String, Object> build(Iterable<Record<?>> accepted,
      Map<String, Object> coreReport) {
    Map<String, Long> byType = new TreeMap<>();
    long repaired = 0;
    long added = 0;
    long completed = 0;
    long seen = 0;
    for (Record<?> r : accepted) {
      if (!(((ToolUse) r.payload()).metadata().get("repair") instanceof Map<?, ?> repair)) {
        continue;
      }
      seen++;
      Map<String, ?> failures = repair.get("prerepair_failures") instanceof Map<?, ?> f
          ? (Map<String, ?>) f : Map.of();
      if (!failures.isEmpty()) {
        repaired++;
      }
      failures.forEach((k, v) -> byType.merge(k, ((Number) v).longValue(), Long::sum));
      added += ((Number) repair.get("entities_added")).longValue();
      completed += ((Number) repair.get("entities_completed")).longValue();
    }
    Map<String, Long> rejected = new TreeMap<>();
    for (Object e : (List<Object>) coreReport.getOrDefault("funnel", List.of())) {
      Map<String, Object> entry = (Map<String, Object>) e;
      String stage = String.valueOf(entry.get("stage"));
      if (RepairSeedMetadata.STAGE.equals(stage) || EnrichResponses.STAGE.equals(stage)) {
        ((Map<String, Long>) entry.get("rejected")).forEach((reason, n) ->
            rejected.merge(stage + ":" + reason, n, Long::sum));
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("conversations_checked", seen);
    m.put("conversations_repaired", repaired);
    m.put("prerepair_failures_by_type", byType);
    m.put("prerepair_failures_total", byType.values().stream().mapToLong(Long::longValue).sum());
    m.put("entities_added", added);
    m.put("entities_completed", completed);
    m.put("rejected", rejected);
    return m;
  }
}
