package io.convoforge.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.TestSupport;
import io.convoforge.core.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cluster test group's fixtures (run by {@code mvn verify -Pcluster}, which builds the
 * bundled jar first): a real standalone Flink cluster of this project's dependencies, the
 * command-line flags that submit to it through {@code conf/flink-cluster.yaml}, and reading a
 * run's output back.
 */
public final class ClusterTesting {
  /** The shaded jar the profile stages (failsafe passes its path). */
  public static final Path BUNDLED_JAR = Path.of(System.getProperty("convoforge.bundledJar",
      "target/convoforge-bundled.jar"));

  private ClusterTesting() {}

  /**
   * A JobManager and {@code taskManagers} TaskManagers of Flink's default size (1728m), one
   * slot each, on free ports; they end with the test JVM if a test forgets to stop them.
   */
  public static LocalFlinkCluster start(Path dir, int taskManagers) {
    assertTrue(Files.isRegularFile(BUNDLED_JAR), BUNDLED_JAR + " is missing: the cluster"
        + " tests run with mvn -B -ntp verify -Pcluster, which builds it");
    return LocalFlinkCluster.start(LocalFlinkCluster.Spec.of(dir, classpath())
        .withTaskManagers(taskManagers, 1).withMemory("1728m", "1024m"), Duration.ofMinutes(4));
  }

  /** The cluster JVMs' class path: the project's runtime dependencies, no class directories. */
  static List<String> classpath() {
    Path file = Path.of(System.getProperty("convoforge.runtimeClasspath",
        "target/runtime-classpath.txt"));
    try {
      return Arrays.stream(Files.readString(file).trim().split(java.io.File.pathSeparator))
          .filter(s -> !s.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The flags that run a recipe on the cluster: the shipped profile, this master. */
  public static List<String> flags(LocalFlinkCluster c, int parallelism) {
    return List.of("--conf", "conf/flink-cluster.yaml", "--flinkMaster=" + c.master(),
        "--parallelism=" + parallelism);
  }

  /** Accepted and rejected lines of a dataset, each set sorted: what must be byte-equal. */
  public static List<String> dataset(Path dir) {
    List<String> out = new ArrayList<>();
    List<String> accepted = new ArrayList<>(TestSupport.lines(dir, "conversations*.jsonl"));
    List<String> rejected = new ArrayList<>(TestSupport.lines(dir, "rejected*.jsonl"));
    accepted.sort(null);
    rejected.sort(null);
    out.add("accepted " + accepted.size());
    out.addAll(accepted);
    out.add("rejected " + rejected.size());
    out.addAll(rejected);
    return out;
  }

  public static JsonNode report(Path dir) {
    try {
      return Json.MAPPER.readTree(Files.readString(dir.resolve("report.json")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The id of the cluster's only finished (or running) job. */
  public static String onlyJob(LocalFlinkCluster c) throws IOException {
    JsonNode jobs = c.rest("/jobs/overview").path("jobs");
    assertTrue(jobs.size() == 1, "one job expected: " + jobs);
    return jobs.get(0).path("jid").asText();
  }

  /** The TaskManagers (ids) that ran subtasks of the job. */
  public static Set<String> taskManagersUsed(LocalFlinkCluster c, String job) throws IOException {
    Set<String> ids = new HashSet<>();
    for (JsonNode v : c.rest("/jobs/" + job).path("vertices")) {
      for (JsonNode tm : c.rest("/jobs/" + job + "/vertices/" + v.path("id").asText()
          + "/taskmanagers").path("taskmanagers")) {
        ids.add(tm.path("taskmanager-id").asText());
      }
    }
    return ids;
  }
}
