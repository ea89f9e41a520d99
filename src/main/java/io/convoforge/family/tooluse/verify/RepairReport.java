package io.convoforge.family.tooluse.verify;

import io.convoforge.family.tooluse.stages.EnrichResponses;
import io.convoforge.family.tooluse.stages.RepairSeedMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code repair} section of report.json: the repair stage's findings over the accepted
 * conversations (pre-repair failures by type, conversations repaired, seed rows added and
 * completed; summed in the pipeline) and the rejections of the repair and enrich stages by
 * reason (from the run's funnel).
 */
public final class RepairReport {
  private RepairReport() {}

  @SuppressWarnings("unchecked")
  public static Map<String, Object> build(Map<String, Object> findings,
      Map<String, Object> coreReport) {
    Map<String, Long> rejected = new TreeMap<>();
    for (Object e : (List<Object>) coreReport.getOrDefault("funnel", List.of())) {
      Map<String, Object> entry = (Map<String, Object>) e;
      String stage = String.valueOf(entry.get("stage"));
      if (RepairSeedMetadata.STAGE.equals(stage) || EnrichResponses.STAGE.equals(stage)) {
        ((Map<String, Long>) entry.get("rejected")).forEach((reason, n) ->
            rejected.merge(stage + ":" + reason, n, Long::sum));
      }
    }
    Map<String, Object> m = new LinkedHashMap<>(findings);
    m.put("rejected", rejected);
    return m;
  }
}
