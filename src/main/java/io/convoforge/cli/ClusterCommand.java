package io.convoforge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.cluster.LocalFlinkCluster;
import io.convoforge.core.input.InputException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code convoforge cluster start|stop|status|add-taskmanager}: a standalone Flink session
 * cluster on this machine ({@link LocalFlinkCluster}), for {@code run --conf
 * conf/flink-cluster.yaml --flinkMaster=127.0.0.1:PORT}.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "A local standalone Flink session cluster: a JobManager and TaskManagers, each its own"
          + " JVM on 127.0.0.1, started from convoforge's own dependencies.",
      "Then: ./convoforge run RECIPE.yaml --conf conf/flink-cluster.yaml"
          + " --flinkMaster=127.0.0.1:PORT"
    },
    subcommands = {
      ClusterCommand.Start.class,
      ClusterCommand.Stop.class,
      ClusterCommand.Status.class,
      ClusterCommand.AddTaskManager.class
    })
public final class ClusterCommand implements Callable<Integer> {
  static final String DEFAULT_DIR = ".convoforge/cluster";

  @Override
  public Integer call() {
    throw new InputException("command line", null,
        "cluster needs a subcommand: start, stop, status or add-taskmanager");
  }

  /** Starts the cluster and returns once every TaskManager has registered. */
  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Starts a JobManager and N TaskManagers in the background.")
  static final class Start implements Callable<Integer> {
    @Option(names = "--taskmanagers", description = "TaskManagers (default 2).")
    int taskManagers = 2;

    @Option(names = "--slots", description = "Slots per TaskManager (default 1; one a core).")
    int slots = 1;

    @Option(names = "--memory", paramLabel = "SIZE",
        description = "Process size of each TaskManager (default 1728m, Flink's).")
    String memory = "1728m";

    @Option(names = "--jobmanager-memory", paramLabel = "SIZE",
        description = "Process size of the JobManager (default 1600m, Flink's).")
    String jobManagerMemory = "1600m";

    @Option(names = "--port", description = "REST port, the --flinkMaster port (default 8081).")
    int port = 8081;

    @Option(names = "--rpc-port", description = "JobManager RPC port (default 6123).")
    int rpcPort = 6123;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "Configuration, logs and state (default " + DEFAULT_DIR + ").")
    Path dir = Path.of(DEFAULT_DIR);

    @Override
    public Integer call() {
      if (taskManagers < 1 || slots < 1) {
        throw new InputException("command line", "--taskmanagers/--slots", "must be at least 1");
      }
      LocalFlinkCluster.Spec spec = LocalFlinkCluster.Spec.of(dir, classpath())
          .withTaskManagers(taskManagers, slots).withMemory(memory, jobManagerMemory)
          .withPorts(port, rpcPort).detached(true);
      LocalFlinkCluster c;
      try {
        c = LocalFlinkCluster.start(spec, Duration.ofMinutes(3));
      } catch (IllegalStateException | IllegalArgumentException e) {
        throw new InputException("cluster start", null, e.getMessage());
      }
      System.out.printf("Flink session cluster at %s: a JobManager and %d TaskManager(s) of %s"
              + " with %d slot(s) each (logs: %s).%nSubmit with: ./convoforge run RECIPE.yaml"
              + " --conf conf/flink-cluster.yaml --flinkMaster=%s --parallelism=%d%n"
              + "Web UI: http://%s/  Stop with: ./convoforge cluster stop%n",
          c.master(), taskManagers, memory, slots, c.dir().resolve("log"), c.master(),
          taskManagers * slots, c.master());
      return 0;
    }
  }

  /** Stops the processes the cluster's state names. */
  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = "Stops the JobManager and the TaskManagers started by cluster start.")
  static final class Stop implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", description = "As given to start.")
    Path dir = Path.of(DEFAULT_DIR);

    @Override
    public Integer call() {
      if (!Files.isRegularFile(dir.resolve(LocalFlinkCluster.STATE_FILE))) {
        System.out.println("No cluster started from " + dir + ".");
        return 0;
      }
      LocalFlinkCluster.attach(dir).stop();
      System.out.println("Stopped the cluster started from " + dir + ".");
      return 0;
    }
  }

  /** Prints where the cluster is and what it has; exit 1 when it is not running. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Prints the cluster's address, TaskManagers, slots and jobs; exit 1 if"
          + " it is not running.")
  static final class Status implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", description = "As given to start.")
    Path dir = Path.of(DEFAULT_DIR);

    @Override
    public Integer call() {
      Optional<LocalFlinkCluster> c = LocalFlinkCluster.attachIfRunning(dir);
      if (c.isEmpty()) {
        System.out.println("No cluster is running from " + dir + ".");
        return Main.FAILED;
      }
      try {
        JsonNode o = c.get().rest("/overview");
        System.out.printf("Flink %s at %s: %d TaskManager(s), %d slot(s) (%d free); jobs:"
                + " %d running, %d finished, %d failed, %d cancelled%n",
            o.path("flink-version").asText(), c.get().master(), o.path("taskmanagers").asInt(),
            o.path("slots-total").asInt(), o.path("slots-available").asInt(),
            o.path("jobs-running").asInt(), o.path("jobs-finished").asInt(),
            o.path("jobs-failed").asInt(), o.path("jobs-cancelled").asInt());
        return 0;
      } catch (IOException e) {
        System.out.println("The JobManager runs (pid " + c.get().jobManagerPid()
            + ") but does not answer at " + c.get().master() + ": " + e.getMessage());
        return Main.FAILED;
      }
    }
  }

  /** Adds a TaskManager to a running cluster (a replacement for a lost one, or more slots). */
  @Command(name = "add-taskmanager", mixinStandardHelpOptions = true,
      description = "Starts one more TaskManager in the running cluster.")
  static final class AddTaskManager implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", description = "As given to start.")
    Path dir = Path.of(DEFAULT_DIR);

    @Override
    public Integer call() {
      LocalFlinkCluster c = LocalFlinkCluster.attachIfRunning(dir).orElseThrow(() ->
          new InputException("cluster add-taskmanager", null, "no cluster is running from "
              + dir));
      int before = c.taskManagerPids().size();
      long pid = c.addTaskManager();
      System.out.printf("Started TaskManager %d (pid %d) in the cluster at %s.%n", before + 1,
          pid, c.master());
      return 0;
    }
  }

  /**
   * The cluster JVMs' class path: this process's jars (the launcher's runtime class path, or
   * the bundled jar), without class directories: jobs bring their own code in the staged jar.
   */
  static List<String> classpath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(p -> !p.isBlank() && !new File(p).isDirectory()).toList();
  }
}
