package io.convoforge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.TestSupport;
import io.convoforge.cli.Main;
import io.convoforge.core.run.OutputDir;
import io.convoforge.testing.StubLlmServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TaskManager killed with SIGKILL in the middle of an LLM-backed run (the CRM recipe against
 * the stub server) on a JobManager and two TaskManagers, with a replacement started at once:
 * the job completes, its output equals a clean run's, the funnel accounts for every element,
 * and the stub is asked again only what was in flight when the job failed (the response cache,
 * a directory every TaskManager shares, answers every call that had completed).
 */
@Tag("cluster")
class ClusterRecoveryIT {
  static final int COUNT = 60;
  static final int CONCURRENCY = 4;
  static final long LATENCY_MS = 250;

  @TempDir Path tmp;

  @Test
  void aTaskManagerKilledMidRunLosesNothingAndPaysNothingTwice() throws Exception {
    Path clean = tmp.resolve("clean");
    Path killed = tmp.resolve("killed");
    // One stub and one cache path for both runs: both are part of the run id (in every
    // record's lineage), so the two runs must name the same ones to be comparable.
    Path cache = tmp.resolve("cache");
    ExecutorService launcher = Executors.newSingleThreadExecutor();
    try (StubLlmServer stub = StubLlmServer.start(LATENCY_MS)) {
      assertEquals(0, Main.execute(args(stub, clean, cache).toArray(new String[0])));
      int cleanCalls = stub.requests();
      OutputDir.delete(cache);

      try (LocalFlinkCluster cluster = ClusterTesting.start(tmp.resolve("cluster"), 2)) {
        List<String> a = args(stub, killed, cache);
        a.addAll(ClusterTesting.flags(cluster, 2));
        Future<Integer> run = launcher.submit(() -> Main.execute(a.toArray(new String[0])));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (stub.requests() - cleanCalls < cleanCalls / 3 && !run.isDone()
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertTrue(stub.requests() - cleanCalls >= cleanCalls / 3 && !run.isDone(),
            "the run should be a third of the way through its calls");
        int inFlightAtKill = stub.inFlight();
        int callsAtKill = stub.requests() - cleanCalls;
        String job = ClusterTesting.onlyJob(cluster);
        long killedAt = System.nanoTime();
        cluster.killTaskManager(0);
        cluster.addTaskManager();
        // The job's states after the kill, polled from the JobManager: when the failure was
        // noticed (first RESTARTING) and when the job ran again for the last time.
        long failedAt = -1;
        long runningAgainAt = -1;
        String state = "RUNNING";
        StringBuilder states = new StringBuilder();
        while (!run.isDone() && System.nanoTime() - killedAt < TimeUnit.MINUTES.toNanos(10)) {
          String now = cluster.rest("/jobs/" + job).path("state").asText();
          if (!now.equals(state)) {
            long at = System.nanoTime();
            states.append(String.format(" %s at %.1f s;", now, (at - killedAt) / 1e9));
            if ("RESTARTING".equals(now) && failedAt < 0) {
              failedAt = at;
            } else if ("RUNNING".equals(now)) {
              runningAgainAt = at;
            }
            state = now;
          }
          Thread.sleep(100);
        }
        assertEquals(0, run.get(10, TimeUnit.MINUTES), "the job completes after the loss");
        long endedAt = System.nanoTime();
        assertTrue(failedAt > 0 && runningAgainAt > failedAt, "the job restarted");

        List<String> expected = ClusterTesting.dataset(clean);
        List<String> actual = ClusterTesting.dataset(killed);
        assertTrue(expected.equals(actual), "the killed run's output equals the clean run's ("
            + expected.size() + " and " + actual.size() + " lines)");
        JsonNode report = ClusterTesting.report(killed);
        long rejected = 0;
        for (JsonNode n : report.path("rejected")) {
          rejected += n.asLong();
        }
        assertEquals(COUNT, report.path("sampled").asInt());
        assertEquals(COUNT, report.path("accepted").asLong() + rejected,
            "sampled = accepted + rejected");
        assertTrue(report.path("invariant").path("holds").asBoolean());

        // Identical bodies are legitimate for distinct elements (one task's plan prompt is
        // the same for all its conversations; the cache key holds the element, the body does
        // not), so requests are compared as multisets: what the cluster run asked beyond the
        // clean run's counts was asked twice.
        List<String> digests = stub.bodyDigests();
        Map<String, Integer> asked = new HashMap<>();
        digests.subList(0, cleanCalls).forEach(d -> asked.merge(d, -1, Integer::sum));
        digests.subList(cleanCalls, digests.size()).forEach(d -> asked.merge(d, 1, Integer::sum));
        int repeated = asked.values().stream().filter(n -> n > 0).mapToInt(n -> n).sum();
        int missing = asked.values().stream().filter(n -> n < 0).mapToInt(n -> -n).sum();
        System.out.printf("ClusterRecoveryIT: %d calls clean, %d on the cluster (%d when the"
                + " TaskManager was killed, %d of them in flight), %d asked twice; failure"
                + " noticed %.1f s after the kill, running again %.1f s after it, job ended"
                + " %.1f s after it%n", cleanCalls, digests.size() - cleanCalls,
            callsAtKill, inFlightAtKill, repeated, (failedAt - killedAt) / 1e9,
            (runningAgainAt - killedAt) / 1e9, (endedAt - killedAt) / 1e9);
        System.out.println("ClusterRecoveryIT: job states after the kill:" + states);
        assertEquals(0, missing, "every request of the clean run was made");
        // At most the in-flight cap can be lost at each of the two moments a call can be cut
        // off: the kill (the dead TaskManager's calls) and the failover (the survivors' tasks
        // are cancelled and restarted); every completed call was cached and is not asked again.
        assertTrue(repeated <= 2 * CONCURRENCY, repeated + " requests asked twice");
      }
    } finally {
      launcher.shutdownNow();
    }
  }

  private static List<String> args(StubLlmServer stub, Path out, Path cache) {
    return new ArrayList<>(List.of("run", TestSupport.CRM.toString(), "--count",
        String.valueOf(COUNT), "--out", out.toString(), "--backend", "openai", "--base-url",
        stub.openAiUrl(), "--cache", cache.toString(), "--max-concurrency",
        String.valueOf(CONCURRENCY), "--set", "llm.max_buffering_ms=200"));
  }
}
