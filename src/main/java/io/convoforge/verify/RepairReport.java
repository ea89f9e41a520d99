package io.convoforge.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.model.Json;
import io.convoforge.pipeline.RunReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code repair} section of report.json, from the written files: pre-repair execution
 * failures by type (summed over the accepted conversations' {@code metadata.repair}), how many
 * conversations needed a repair, the seed rows added and completed, and the rejections of the
 * repair and enrich stages by reason.
 */
public final class RepairReport {
  private RepairReport() {}

  public static Map<String, Object> build(Path dir) {
    Map<String, Long> byType = new TreeMap<>();
    long[] repaired = {0};
    long[] added = {0};
    long[] completed = {0};
    long[] seen = {0};
    for (Path f : RunReport.files(dir, "conversations*.jsonl")) {
      Gates.lines(f, line -> {
        JsonNode r = parse(line).path("metadata").path("repair");
        if (r.isMissingNode()) {
          return;
        }
        seen[0]++;
        JsonNode failures = r.path("prerepair_failures");
        if (failures.size() > 0) {
          repaired[0]++;
        }
        failures.fields().forEachRemaining(e ->
            byType.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        added[0] += r.path("entities_added").asLong();
        completed[0] += r.path("entities_completed").asLong();
      });
    }
    Map<String, Long> rejected = new TreeMap<>();
    for (Path f : RunReport.files(dir, "rejected*.jsonl")) {
      Gates.lines(f, line -> {
        JsonNode r = parse(line);
        String stage = r.path("stage").asText();
        if ("repair".equals(stage) || "enrich".equals(stage)) {
          rejected.merge(stage + ":" + r.path("reason").asText(), 1L, Long::sum);
        }
      });
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("conversations_checked", seen[0]);
    m.put("conversations_repaired", repaired[0]);
    m.put("prerepair_failures_by_type", byType);
    m.put("prerepair_failures_total", byType.values().stream().mapToLong(Long::longValue).sum());
    m.put("entities_added", added[0]);
    m.put("entities_completed", completed[0]);
    m.put("rejected", rejected);
    return m;
  }

  private static JsonNode parse(String line) {
    try {
      return Json.MAPPER.readTree(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
