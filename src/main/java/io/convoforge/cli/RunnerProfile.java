package io.convoforge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.convoforge.core.input.InputException;
import io.convoforge.core.input.InputFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A runner profile from {@code conf/}: a flat YAML mapping of Beam pipeline options
 * ({@code runner: FlinkRunner}). Flags on the command line win over the profile. The values of
 * options that name local files ({@link #PATH_OPTIONS}) resolve against the profile's folder
 * when relative, as a recipe's paths resolve against the recipe's.
 */
final class RunnerProfile {
  /** Options whose values are local paths (comma-separated lists for filesToStage). */
  static final Set<String> PATH_OPTIONS = Set.of("filesToStage", "flinkConfDir",
      "templateLocation", "dataflowWorkerJar");

  private RunnerProfile() {}

  static List<String> merge(Path profile, List<String> beamArgs) {
    String text = InputFiles.read(profile);
    Map<?, ?> m;
    try {
      Object parsed = new ObjectMapper(new YAMLFactory()).readValue(text, Object.class);
      if (!(parsed instanceof Map)) {
        throw new InputException(profile.toString(), null,
            "expected a mapping of Beam options, such as 'runner: FlinkRunner'");
      }
      m = (Map<?, ?>) parsed;
    } catch (IOException e) {
      throw new InputException(profile.toString(), null, "malformed YAML: " + e.getMessage());
    }
    List<String> out = new ArrayList<>(beamArgs);
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String flag = "--" + e.getKey();
      if (e.getValue() instanceof Map || e.getValue() instanceof List) {
        throw new InputException(profile.toString(), "field " + e.getKey(),
            "expected a single value");
      }
      if (beamArgs.stream().noneMatch(a -> a.equals(flag) || a.startsWith(flag + "="))) {
        String value = String.valueOf(e.getValue());
        if (PATH_OPTIONS.contains(String.valueOf(e.getKey()))) {
          value = resolve(profile, value);
        }
        out.add(flag + "=" + value);
      }
    }
    return out;
  }

  /** Each comma-separated relative local path against the profile's folder. */
  private static String resolve(Path profile, String value) {
    List<String> parts = new ArrayList<>();
    Path base = profile.toAbsolutePath().getParent();
    for (String v : value.split(",")) {
      String t = v.trim();
      boolean local = !t.isEmpty() && !t.contains("://") && !Path.of(t).isAbsolute();
      parts.add(local ? base.resolve(t).normalize().toString() : t);
    }
    return String.join(",", parts);
  }
}
