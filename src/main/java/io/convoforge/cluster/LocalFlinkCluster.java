package io.convoforge.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.model.Json;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A standalone Flink 1.19 session cluster on this machine, started from the project's own
 * dependencies (the Flink distribution archive is not a Maven artifact): one JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and N TaskManagers ({@code TaskManagerRunner}), each its
 * own JVM bound to 127.0.0.1, with the memory flags Flink's scripts would give them
 * ({@link FlinkProcessConfig}). Jobs reach it at {@link #master()} ({@code --flinkMaster}).
 *
 * <p>Its directory holds {@code config.yaml}, one log per JVM under {@code log/}, the
 * TaskManagers' temporary files and {@code cluster.json} (ports and process ids), so another
 * process can {@link #attach} to it to stop it or add a TaskManager. Stopping ends only the
 * processes it started, by their ids.
 */
public final class LocalFlinkCluster implements AutoCloseable {
  static final String HOST = "127.0.0.1";
  /** The file in the cluster directory that names its ports and processes. */
  public static final String STATE_FILE = "cluster.json";

  /**
   * What to start: the directory, TaskManagers and slots each, the process sizes (Flink's
   * defaults 1728m and 1600m), the REST and RPC ports (0: any free one), the JVMs' class path,
   * whether they outlive this process ({@code detach}: the {@code cluster start} command; else
   * they end with it, as tests want), and further {@code config.yaml} settings.
   */
  public record Spec(Path dir, int taskManagers, int slots, String taskManagerMemory,
      String jobManagerMemory, int restPort, int rpcPort, List<String> classpath,
      boolean detach, Map<String, String> extraSettings) {
    public Spec {
      if (taskManagers < 1 || slots < 1) {
        throw new IllegalArgumentException("at least one TaskManager with one slot");
      }
      dir = dir.toAbsolutePath().normalize();
      classpath = List.copyOf(classpath);
      extraSettings = Map.copyOf(extraSettings);
    }

    /** Flink's default sizes, two one-slot TaskManagers, free ports, the given class path. */
    public static Spec of(Path dir, List<String> classpath) {
      return new Spec(dir, 2, 1, "1728m", "1600m", 0, 0, classpath, false, Map.of());
    }

    public Spec withTaskManagers(int n, int slotsEach) {
      return new Spec(dir, n, slotsEach, taskManagerMemory, jobManagerMemory, restPort, rpcPort,
          classpath, detach, extraSettings);
    }

    public Spec withMemory(String taskManager, String jobManager) {
      return new Spec(dir, taskManagers, slots, taskManager, jobManager, restPort, rpcPort,
          classpath, detach, extraSettings);
    }

    public Spec withPorts(int rest, int rpc) {
      return new Spec(dir, taskManagers, slots, taskManagerMemory, jobManagerMemory, rest, rpc,
          classpath, detach, extraSettings);
    }

    public Spec detached(boolean d) {
      return new Spec(dir, taskManagers, slots, taskManagerMemory, jobManagerMemory, restPort,
          rpcPort, classpath, d, extraSettings);
    }

    public Spec withSettings(Map<String, String> settings) {
      return new Spec(dir, taskManagers, slots, taskManagerMemory, jobManagerMemory, restPort,
          rpcPort, classpath, detach, settings);
    }
  }

  private final Path dir;
  private final int restPort;
  private final List<String> classpath;
  private final boolean detach;
  private final long jobManager;
  private final List<Long> taskManagers;

  private LocalFlinkCluster(Path dir, int restPort, List<String> classpath, boolean detach,
      long jobManager, List<Long> taskManagers) {
    this.dir = dir;
    this.restPort = restPort;
    this.classpath = classpath;
    this.detach = detach;
    this.jobManager = jobManager;
    this.taskManagers = new ArrayList<>(taskManagers);
  }

  /**
   * Starts the JobManager and the TaskManagers and returns once every TaskManager has
   * registered (or fails, naming the log to read, after {@code timeout}).
   */
  public static LocalFlinkCluster start(Spec spec, Duration timeout) {
    Optional<LocalFlinkCluster> running = attachIfRunning(spec.dir());
    if (running.isPresent()) {
      throw new IllegalStateException("a cluster started from " + spec.dir() + " is running at "
          + running.get().master() + "; stop it first");
    }
    int rest = spec.restPort() > 0 ? spec.restPort() : freePort();
    int rpc = spec.rpcPort() > 0 ? spec.rpcPort() : freePort();
    for (int port : new int[] {rest, rpc}) {
      if (!isFree(port)) {
        throw new IllegalStateException("port " + port + " on " + HOST + " is in use; choose"
            + " another (--port for REST, --rpc-port for RPC)");
      }
    }
    Spec s = spec.withPorts(rest, rpc);
    FlinkProcessConfig.write(s.dir(), FlinkProcessConfig.settings(s));
    LocalFlinkCluster c = new LocalFlinkCluster(s.dir(), rest, s.classpath(), s.detach(),
        launch(s.dir(), FlinkProcessConfig.jobManagerCommand(s.dir(), s.classpath(),
            s.dir().resolve("log/jobmanager.log")), "jobmanager", s.detach()), List.of());
    c.save();
    try {
      for (int i = 0; i < s.taskManagers(); i++) {
        c.addTaskManager();
      }
      c.awaitTaskManagers(s.taskManagers(), timeout);
    } catch (RuntimeException e) {
      c.stop();
      throw e;
    }
    return c;
  }

  /** The cluster whose state is in {@code dir}, if its JobManager still runs. */
  public static Optional<LocalFlinkCluster> attachIfRunning(Path dir) {
    Path state = dir.toAbsolutePath().normalize().resolve(STATE_FILE);
    if (!Files.isRegularFile(state)) {
      return Optional.empty();
    }
    LocalFlinkCluster c = attach(dir);
    return alive(c.jobManager, FlinkProcessConfig.JOB_MANAGER_MAIN) ? Optional.of(c)
        : Optional.empty();
  }

  /** The cluster whose state {@code cluster.json} is in {@code dir}. */
  public static LocalFlinkCluster attach(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    try {
      JsonNode n = Json.MAPPER.readTree(Files.readString(abs.resolve(STATE_FILE)));
      List<String> cp = new ArrayList<>();
      n.path("classpath").forEach(x -> cp.add(x.asText()));
      List<Long> tms = new ArrayList<>();
      n.path("taskmanagers").forEach(x -> tms.add(x.asLong()));
      return new LocalFlinkCluster(abs, n.path("rest_port").asInt(), cp,
          n.path("detach").asBoolean(), n.path("jobmanager").asLong(), tms);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + abs.resolve(STATE_FILE), e);
    }
  }

  /** {@code HOST:PORT} of the REST endpoint, the value of {@code --flinkMaster}. */
  public String master() {
    return HOST + ":" + restPort;
  }

  public Path dir() {
    return dir;
  }

  public long jobManagerPid() {
    return jobManager;
  }

  /** Process ids of the TaskManagers started, in order (killed ones included). */
  public synchronized List<Long> taskManagerPids() {
    return List.copyOf(taskManagers);
  }

  /** Starts one more TaskManager (a replacement, or more slots); returns its process id. */
  public synchronized long addTaskManager() {
    int n = taskManagers.size() + 1;
    Path tmp = dir.resolve("tmp/taskmanager-" + n);
    try {
      Files.createDirectories(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long pid = launch(dir, FlinkProcessConfig.taskManagerCommand(dir, classpath,
        dir.resolve("log/taskmanager-" + n + ".log"), tmp), "taskmanager-" + n, detach);
    taskManagers.add(pid);
    save();
    return pid;
  }

  /** Kills TaskManager {@code index} (0-based, in start order) with SIGKILL. */
  public void killTaskManager(int index) {
    long pid = taskManagerPids().get(index);
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  /** Blocks until at least {@code n} TaskManagers are registered with the JobManager. */
  public void awaitTaskManagers(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!alive(jobManager, FlinkProcessConfig.JOB_MANAGER_MAIN)) {
        throw new IllegalStateException("the JobManager exited; see "
            + dir.resolve("log/jobmanager.log"));
      }
      try {
        JsonNode o = rest("/overview");
        last = o.toString();
        if (o.path("taskmanagers").asInt() >= n) {
          return;
        }
      } catch (IOException e) {
        last = e.getMessage();
      }
      sleep(500);
    }
    throw new IllegalStateException("the cluster did not have " + n + " TaskManagers within "
        + timeout.toSeconds() + " s (last overview: " + last + "); see the logs in "
        + dir.resolve("log"));
  }

  /** The JobManager's answer to a REST GET, e.g. {@code /overview} or {@code /jobs/overview}. */
  public JsonNode rest(String path) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
          URI.create("http://" + master() + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("HTTP " + r.statusCode() + " for " + path);
      }
      return Json.MAPPER.readTree(r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Ends every process of the cluster that still runs (TERM, then KILL after 15 s). */
  public synchronized void stop() {
    List<ProcessHandle> live = new ArrayList<>();
    for (long pid : taskManagers) {
      handle(pid, FlinkProcessConfig.TASK_MANAGER_MAIN).ifPresent(live::add);
    }
    handle(jobManager, FlinkProcessConfig.JOB_MANAGER_MAIN).ifPresent(live::add);
    live.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    for (ProcessHandle h : live) {
      while (h.isAlive() && System.nanoTime() < deadline) {
        sleep(100);
      }
      if (h.isAlive()) {
        h.destroyForcibly();
      }
    }
    try {
      Files.deleteIfExists(dir.resolve(STATE_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void save() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rest_port", restPort);
    m.put("master", master());
    m.put("jobmanager", jobManager);
    m.put("taskmanagers", taskManagers);
    m.put("detach", detach);
    m.put("classpath", classpath);
    try {
      Files.writeString(dir.resolve(STATE_FILE), Json.write(m) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long launch(Path dir, List<String> command, String name, boolean detach) {
    List<String> cmd = new ArrayList<>(command);
    Path log = dir.resolve("log/" + name + ".log");
    try {
      Files.createDirectories(log.getParent());
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!detach) {
        // Not detached (tests): the cluster ends with this JVM whatever happens to it.
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
      }
      return p.pid();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** The live process {@code pid}, if it still runs {@code main} (never another's process). */
  private static Optional<ProcessHandle> handle(long pid, String main) {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> h.info()
        .commandLine().map(c -> c.contains(main)).orElse(true));
  }

  static boolean alive(long pid, String main) {
    return handle(pid, main).isPresent();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getByName(HOST))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
