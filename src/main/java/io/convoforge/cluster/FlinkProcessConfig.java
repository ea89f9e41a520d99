package io.convoforge.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * The configuration directory of a standalone Flink session cluster and the command lines of its
 * JVMs, as Flink's own {@code bin/jobmanager.sh} and {@code bin/taskmanager.sh} build them: the
 * memory flags and dynamic memory settings are what {@code BashJavaUtils GET_JM_RESOURCE_PARAMS}
 * and {@code GET_TM_RESOURCE_PARAMS} print (the same Flink methods, called in process), and the
 * Java 17 module options are those of the distribution's {@code config.yaml}
 * ({@code env.java.opts.all}).
 */
final class FlinkProcessConfig {
  /** Flink 1.19's {@code env.java.opts.all} for Java 17 (its distribution's config.yaml). */
  static final List<String> JAVA17_OPTIONS = List.of(
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
      "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
      "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.text=ALL-UNNAMED",
      "--add-opens=java.base/java.time=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  /** Packages loaded by the TaskManager's class loader rather than each job's. */
  static final String PARENT_FIRST = "ai.djl.;ai.onnxruntime.;dev.langchain4j.;org.duckdb.";

  static final String JOB_MANAGER_MAIN =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  static final String TASK_MANAGER_MAIN =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

  private FlinkProcessConfig() {}

  /**
   * The settings of {@code config.yaml}: everything bound to 127.0.0.1, the given ports and
   * sizes, region failover, a fixed-delay restart strategy for jobs that bring none, and
   * heartbeats short enough that a killed TaskManager is noticed in seconds, not the default 50.
   */
  static Map<String, String> settings(LocalFlinkCluster.Spec spec) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("jobmanager.rpc.address", LocalFlinkCluster.HOST);
    m.put("jobmanager.rpc.port", String.valueOf(spec.rpcPort()));
    m.put("jobmanager.bind-host", LocalFlinkCluster.HOST);
    m.put("jobmanager.memory.process.size", spec.jobManagerMemory());
    m.put("jobmanager.execution.failover-strategy", "region");
    m.put("taskmanager.host", LocalFlinkCluster.HOST);
    m.put("taskmanager.bind-host", LocalFlinkCluster.HOST);
    m.put("taskmanager.numberOfTaskSlots", String.valueOf(spec.slots()));
    m.put("taskmanager.memory.process.size", spec.taskManagerMemory());
    m.put("parallelism.default", String.valueOf(spec.taskManagers() * spec.slots()));
    m.put("rest.address", LocalFlinkCluster.HOST);
    m.put("rest.bind-address", LocalFlinkCluster.HOST);
    m.put("rest.port", String.valueOf(spec.restPort()));
    m.put("restart-strategy.type", "fixed-delay");
    m.put("restart-strategy.fixed-delay.attempts", "10");
    m.put("restart-strategy.fixed-delay.delay", "2 s");
    m.put("heartbeat.interval", "2000");
    m.put("heartbeat.timeout", "20000");
    m.put("io.tmp.dirs", spec.dir().resolve("tmp").toString());
    // Classes that load a native library (a JVM loads one into a single class loader) come
    // from the TaskManager's own class path, once per JVM, not once per job: ONNX Runtime and
    // the tokenizers of the embedding model (whose weights LangChain4j keeps in a static
    // field, so a session cluster holds one copy however many jobs and slots use it), DuckDB.
    m.put("classloader.parent-first-patterns.additional", PARENT_FIRST);
    m.put("env.java.opts.all", String.join(" ", JAVA17_OPTIONS));
    m.putAll(spec.extraSettings());
    return m;
  }

  /** Writes {@code config.yaml} (Flink 1.19's standard YAML, flat keys) into the directory. */
  static void write(Path dir, Map<String, String> settings) {
    StringBuilder sb = new StringBuilder("# Written by convoforge cluster start.\n");
    settings.forEach((k, v) -> sb.append(k).append(": ").append(yaml(v)).append('\n'));
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("config.yaml"), sb.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String yaml(String v) {
    return v.matches("[A-Za-z0-9_./:\\- ]*") && !v.isBlank() ? v
        : "'" + v.replace("'", "''") + "'";
  }

  /** JVM flags and {@code -D} memory settings of a JobManager of this configuration. */
  static List<String> jobManagerCommand(Path confDir, List<String> classpath, Path log) {
    Configuration conf = GlobalConfiguration.loadConfiguration(confDir.toString());
    JobManagerProcessSpec spec = JobManagerProcessUtils
        .processSpecFromConfigWithNewOptionToInterpretLegacyHeap(conf,
            JobManagerOptions.JVM_HEAP_MEMORY);
    List<String> cmd = java(JobManagerProcessUtils.generateJvmParametersStr(spec, conf),
        classpath, log, JOB_MANAGER_MAIN);
    cmd.addAll(List.of("--configDir", confDir.toString(), "--executionMode", "cluster"));
    cmd.addAll(split(JobManagerProcessUtils.generateDynamicConfigsStr(spec)));
    return cmd;
  }

  /** The command line of one TaskManager of this configuration. */
  static List<String> taskManagerCommand(Path confDir, List<String> classpath, Path log,
      Path tmp) {
    Configuration conf = GlobalConfiguration.loadConfiguration(confDir.toString());
    Configuration withFallback = TaskExecutorProcessUtils
        .getConfigurationMapLegacyTaskManagerHeapSizeToConfigOption(conf,
            TaskManagerOptions.TOTAL_FLINK_MEMORY);
    TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(withFallback);
    List<String> cmd = java(ProcessMemoryUtils.generateJvmParametersStr(spec), classpath, log,
        TASK_MANAGER_MAIN);
    cmd.addAll(List.of("--configDir", confDir.toString()));
    cmd.addAll(split(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
    cmd.addAll(List.of("-D", "io.tmp.dirs=" + tmp));
    return cmd;
  }

  /** The JVM heap a TaskManager of this configuration gets (its {@code -Xmx}), in bytes. */
  static long taskManagerHeapBytes(Path confDir) {
    Configuration conf = GlobalConfiguration.loadConfiguration(confDir.toString());
    return TaskExecutorProcessUtils.processSpecFromConfig(TaskExecutorProcessUtils
        .getConfigurationMapLegacyTaskManagerHeapSizeToConfigOption(conf,
            TaskManagerOptions.TOTAL_FLINK_MEMORY)).getJvmHeapMemorySize().getBytes();
  }

  /**
   * {@code java @<options file> MAIN}: the JVM options and the class path go into an argument
   * file beside the log, so the command line stays short and names the main class (how {@link
   * LocalFlinkCluster} recognises its processes).
   */
  private static List<String> java(String memoryFlags, List<String> classpath, Path log,
      String main) {
    List<String> options = new ArrayList<>(split(memoryFlags));
    options.addAll(JAVA17_OPTIONS);
    options.add("-Dlog.file=" + log);
    options.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    options.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    options.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS");
    options.add("-cp");
    options.add(String.join(java.io.File.pathSeparator, classpath));
    Path file = log.resolveSibling(log.getFileName().toString().replaceAll("\\.log$", "")
        + ".jvm-options");
    StringBuilder sb = new StringBuilder();
    for (String o : options) {
      sb.append('"').append(o.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, sb.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("@" + file);
    cmd.add(main);
    return cmd;
  }

  private static List<String> split(String s) {
    return Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).toList();
  }
}
