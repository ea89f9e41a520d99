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

/**
 * A runner profile from {@code conf/}: a flat YAML mapping of Beam pipeline options
 * ({@code runner: FlinkRunner}). Flags on the command line win over the profile.
 */
final class RunnerProfile {
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
        out.add(flag + "=" + e.getValue());
      }
    }
    return out;
  }
}
