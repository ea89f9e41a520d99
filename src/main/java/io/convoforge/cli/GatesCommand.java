package io.convoforge.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.convoforge.core.input.InputException;
import io.convoforge.core.model.Json;
import io.convoforge.core.run.DatasetDir;
import io.convoforge.core.run.Gates;
import io.convoforge.core.run.Inputs;
import io.convoforge.core.run.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** {@code convoforge gates DIR}: checks a dataset against its recipe's gates; exit 1 on a fail. */
@Command(
    name = "gates",
    mixinStandardHelpOptions = true,
    description = "Checks a produced dataset against the recipe's quality gates (the core ones:"
        + " count, valid JSON, turns, judge pass rate, near-duplicates; and the family's, such"
        + " as a tool-use replay in the sandbox); the dataset is summarized by a pipeline (other"
        + " --flags go to Beam); prints a table; exits 1 naming each failed gate.")
public final class GatesCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Option(names = "--recipe", description = "Recipe file (default: the one in DIR/report.json).")
  Path recipe;

  @Option(names = "--set", paramLabel = "key=value", description = "Override a recipe key.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--baseline", paramLabel = "RESULTS",
      description = "Evaluation results (eval --out: results-<agent>.json) for the gates that"
          + " measure the dataset with an agent (tool-use: difficulty_band); repeatable.")
  List<Path> baselines = new ArrayList<>();

  @Option(names = "--json", description = "Print the verdict as JSON.")
  boolean json;

  @Option(names = "--conf", paramLabel = "PROFILE.yaml",
      description = "A runner profile (conf/*.yaml) for the summarizing pipeline, as for run.")
  Path conf;

  @Unmatched List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() {
    DatasetDir.conversationFiles(dir);
    Inputs inputs = DatasetDir.inputs(dir, recipe, sets);
    if (conf != null) {
      beamArgs = RunnerProfile.merge(conf, beamArgs);
    }
    Map<String, Object> report = new LinkedHashMap<>(Job.report(inputs, dir, beamArgs,
        Map.of()));
    if (!baselines.isEmpty()) {
      report.put(Gates.BASELINES, read(baselines));
    }
    Gates.Verdict v = Gates.evaluate(inputs, report);
    if (json) {
      System.out.println(Json.write(v.toMap()));
    } else {
      System.out.print(v.table());
    }
    if (!v.passed()) {
      System.err.println("gates failed: " + String.join(", ", v.failed()));
      return Main.FAILED;
    }
    if (!json) {
      System.out.println("all gates passed");
    }
    return 0;
  }

  /** Each results file as a JSON object; an unreadable one is an input error naming it. */
  private static List<Map<String, Object>> read(List<Path> files) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Path f : files) {
      try {
        out.add(Json.MAPPER.readValue(Files.readString(f),
            new TypeReference<Map<String, Object>>() {}));
      } catch (IOException | RuntimeException e) {
        throw new InputException("--baseline " + f, null, "expected the JSON results of"
            + " 'convoforge eval --out' (results-<agent>.json): " + e.getMessage());
      }
    }
    return out;
  }
}
