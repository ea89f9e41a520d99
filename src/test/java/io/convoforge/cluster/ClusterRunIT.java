package io.convoforge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.TestSupport;
import io.convoforge.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRM recipe on a real standalone cluster (a JobManager and two one-slot TaskManagers of
 * Flink's default size, each its own JVM) through {@code conf/flink-cluster.yaml} and the
 * bundled jar, against the same command on the DirectRunner: the accepted and rejected records
 * are byte-identical, both TaskManagers worked, and the report was computed by the job; {@code
 * gates DIR} then runs its summarizing pipeline on the cluster as well.
 */
@Tag("cluster")
class ClusterRunIT {
  @TempDir Path tmp;

  @Test
  void theCrmRecipeOnTwoTaskManagersEqualsTheDirectRunnersOutput() throws Exception {
    Path flink = tmp.resolve("flink");
    Path direct = tmp.resolve("direct");
    int gatesOnFlink;
    try (LocalFlinkCluster cluster = ClusterTesting.start(tmp.resolve("cluster"), 2)) {
      List<String> args = new ArrayList<>(List.of("run", TestSupport.CRM.toString(), "--out",
          flink.toString()));
      args.addAll(ClusterTesting.flags(cluster, 2));
      assertEquals(0, Main.execute(args.toArray(new String[0])));
      String job = ClusterTesting.onlyJob(cluster);
      Set<String> used = ClusterTesting.taskManagersUsed(cluster, job);
      assertEquals(2, used.size(), "both TaskManagers ran subtasks: " + used);
      assertEquals("FINISHED", cluster.rest("/jobs/" + job).path("state").asText());

      // The post-hoc gates summarize the dataset with a pipeline on the cluster too; its
      // parts go beside the dataset (the launcher's temp directory is not the workers').
      List<String> gates = new ArrayList<>(List.of("gates", flink.toString(), "--json"));
      gates.addAll(ClusterTesting.flags(cluster, 2));
      gatesOnFlink = Main.execute(gates.toArray(new String[0]));
      assertEquals(2, cluster.rest("/jobs/overview").path("jobs").size(),
          "the gates ran as a second job on the cluster");
      try (var left = Files.list(flink)) {
        assertTrue(left.noneMatch(f -> f.getFileName().toString().startsWith("_summary")),
            "no summary parts left in the dataset");
      }
    }
    assertEquals(0, Main.execute("run", TestSupport.CRM.toString(), "--out",
        direct.toString()));

    assertEquals(Main.execute("gates", direct.toString(), "--json"), gatesOnFlink,
        "the same verdict as the gates on the DirectRunner's output");

    List<String> onFlink = ClusterTesting.dataset(flink);
    assertEquals(ClusterTesting.dataset(direct), onFlink);
    JsonNode report = ClusterTesting.report(flink);
    assertEquals("FlinkRunner", report.path("runner").asText());
    assertEquals(200, report.path("sampled").asInt());
    assertTrue(report.path("accepted").asInt() > 190, report.toString());
    assertTrue(report.path("invariant").path("holds").asBoolean());
    assertEquals(ClusterTesting.report(direct).path("funnel"), report.path("funnel"));
    assertTrue(Files.exists(flink.resolve("_SUCCESS")), "committed with its marker");
    assertTrue(TestSupport.lines(flink, "_funnel*").isEmpty(), "no leftover parts");
  }
}
