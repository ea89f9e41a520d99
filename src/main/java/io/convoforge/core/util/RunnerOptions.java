package io.convoforge.core.util;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.common.ReflectHelpers;

/**
 * What the launcher needs to know of a pipeline's options, read without depending on any
 * runner's option classes. How many workers they give it ({@link #parallelism}): the DirectRunner's cores; Flink's {@code --parallelism} (the cluster's slots); on
 * Dataflow {@code --maxNumWorkers} (else {@code --numWorkers}) times the vCPUs its {@code
 * --workerMachineType} names ({@code n2-standard-4}: 4); another runner, or none given, this
 * machine's cores. Key groups and the LLM stages' shards are derived from it.
 */
public final class RunnerOptions {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModules(ObjectMapper.findModules(ReflectHelpers.findClassLoader()));

  private RunnerOptions() {}

  /** True on Beam's DirectRunner (the default runner). */
  public static boolean isDirect(PipelineOptions options) {
    return "DirectRunner".equals(options.getRunner().getSimpleName());
  }

  /** The value of a string option of any runner ({@code templateLocation}), or null. */
  public static String string(PipelineOptions options, String name) {
    JsonNode v = MAPPER.valueToTree(options).path("options").path(name);
    return v.isValueNode() && !v.isNull() && !v.asText().isBlank() ? v.asText() : null;
  }

  /** The parallelism the options ask for (at least 1). */
  public static int parallelism(PipelineOptions options) {
    int cores = Runtime.getRuntime().availableProcessors();
    if (isDirect(options)) {
      return Math.max(1, cores);
    }
    JsonNode o = MAPPER.valueToTree(options).path("options");
    int slots = o.path("parallelism").asInt(0);
    if (slots > 0) {
      return slots;
    }
    int workers = Math.max(o.path("maxNumWorkers").asInt(0), o.path("numWorkers").asInt(0));
    if (workers > 0) {
      String machine = o.path("workerMachineType").asText("");
      int vcpus = machine.matches(".*-\\d+$")
          ? Integer.parseInt(machine.substring(machine.lastIndexOf('-') + 1)) : 1;
      return workers * Math.max(1, vcpus);
    }
    return Math.max(1, cores);
  }
}
