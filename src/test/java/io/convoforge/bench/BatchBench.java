package io.convoforge.bench;

import io.convoforge.core.run.Job;
import io.convoforge.core.run.OutputDir;
import io.convoforge.testing.StubBatches;
import io.convoforge.testing.StubLlmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code convoforge bench batch}: the CRM recipe's generation stages with {@code --llm-mode
 * batch} against the stub's batch endpoints (cache in a fresh folder), and prints per stage and
 * in total: requests per batch file, the time from the first submission to the last result, and
 * the HTTP calls to the batch API per 1,000 requests (upload, create, poll, download, list; a
 * chat call per request online). The stub finishes a batch on its {@code --polls-to-finish}th
 * poll; the client's first poll comes {@code --poll-ms} after submitting and the interval
 * doubles. Measured, never asserted.
 */
final class BatchBench {
  private BatchBench() {}

  static int run(Path recipe, int count, String provider, int pollMs, int pollsToFinish,
      List<String> overrides, List<String> beamArgs) throws Exception {
    Path out = Files.createTempDirectory("convoforge-bench-batch");
    try (StubLlmServer stub = StubLlmServer.start(0)) {
      stub.batches().pollsToFinish(pollsToFinish);
      List<String> o = new ArrayList<>(overrides);
      o.addAll(List.of("backend=" + provider, "llm.base_url=" + ("openai".equals(provider)
          ? stub.openAiUrl() : stub.genAiUrl()), "llm.cache=" + out.resolve("cache"),
          "llm.mode=batch", "llm.batch.poll_ms=" + pollMs,
          "llm.batch.poll_max_ms=" + Math.max(pollMs, 8 * pollMs)));
      if ("vertex".equals(provider)) {
        o.addAll(List.of("llm.project=bench", "llm.location=us-central1"));
      }
      Job.Result r = Job.run(new Job.Request(recipe, o, count, out.resolve("run"), true,
          beamArgs));
      print(r, stub.batches(), provider, count, pollMs, pollsToFinish);
      return 0;
    } finally {
      OutputDir.delete(out);
    }
  }

  @SuppressWarnings("unchecked")
  private static void print(Job.Result r, StubBatches b, String provider, int count, int pollMs,
      int pollsToFinish) {
    Map<String, Object> batch = (Map<String, Object>) r.report().get("batch");
    Map<String, Map<String, Object>> stages =
        (Map<String, Map<String, Object>>) batch.get("stages");
    Map<String, Object> total = (Map<String, Object>) batch.get("total");
    long requests = ((Number) total.get("requests")).longValue();
    System.out.printf("bench batch: %s, %d conversations sampled, %s accepted; stub finishes a"
            + " batch on poll %d, first poll after %d ms (interval doubling); %.1f s in the"
            + " pipeline%n", provider, count, r.report().get("accepted"), pollsToFinish, pollMs,
        r.pipelineSeconds());
    System.out.printf("  %-11s %8s %8s %12s %14s%n", "stage", "batches", "requests",
        "req./file", "submit->last s");
    stages.forEach((stage, s) -> row(stage, s));
    row("total", total);
    System.out.printf("  HTTP calls to the batch API per 1,000 requests (%d requests): upload"
            + " %.2f, create %.2f, poll %.2f, download %.2f, list %.2f; total %.2f (online:"
            + " 1,000 chat calls)%n", requests, per(b.calls("upload"), requests),
        per(b.calls("create"), requests), per(b.calls("poll"), requests),
        per(b.calls("download"), requests), per(b.calls("list"), requests),
        per(b.calls("upload") + b.calls("create") + b.calls("poll") + b.calls("download")
            + b.calls("list"), requests));
    System.out.printf("  cost at the batch price: %s USD (online price: twice that)%n",
        total.get("est_cost_usd"));
  }

  private static void row(String stage, Map<String, Object> s) {
    long batches = ((Number) s.get("batches")).longValue();
    long requests = ((Number) s.get("requests")).longValue();
    System.out.printf("  %-11s %8d %8d %12.1f %14.3f%n", stage, batches, requests,
        batches == 0 ? 0.0 : requests / (double) batches,
        ((Number) s.get("wait_seconds")).doubleValue());
  }

  private static double per(int calls, long requests) {
    return requests == 0 ? 0 : calls * 1000.0 / requests;
  }
}
