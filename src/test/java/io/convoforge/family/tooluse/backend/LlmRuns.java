package io.convoforge.family.tooluse.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.run.Job;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the CRM recipe in-process against a stub endpoint, as {@code convoforge run} would. */
final class LlmRuns {
  static final Path RECIPE = Path.of("pipelines/crm-tool-use.yaml");

  private LlmRuns() {}

  static Job.Result run(String backend, String baseUrl, Path cache, Path out, int count,
      String... extra) {
    List<String> o = new ArrayList<>(List.of("backend=" + backend, "llm.base_url=" + baseUrl,
        "llm.cache=" + cache, "llm.timeout_seconds=10", "llm.backoff_ms=20",
        "llm.max_buffering_ms=200", "llm.max_concurrency=4"));
    if ("vertex".equals(backend)) {
      o.add("llm.project=test-project");
      o.add("llm.location=us-central1");
    }
    o.addAll(List.of(extra));
    return Job.run(new Job.Request(RECIPE, o, count, out, true, List.of()));
  }

  /** sampled == accepted + Σ rejected, as the report states it. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> accounted(Job.Result r, int sampled) {
    Map<String, Object> rep = r.report();
    assertEquals(sampled, ((Number) rep.get("sampled")).intValue());
    Map<String, Object> inv = (Map<String, Object>) rep.get("invariant");
    assertEquals(Boolean.TRUE, inv.get("holds"), String.valueOf(inv));
    long rejected = 0;
    for (Object v : ((Map<String, Object>) rep.get("rejected")).values()) {
      rejected += ((Number) v).longValue();
    }
    assertEquals(sampled, ((Number) rep.get("accepted")).longValue() + rejected);
    assertTrue(rep.containsKey("rejected"));
    return (Map<String, Object>) rep.get("rejected");
  }
}
