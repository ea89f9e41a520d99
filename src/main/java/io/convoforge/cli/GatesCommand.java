package io.convoforge.cli;

import io.convoforge.core.model.Json;
import io.convoforge.core.run.DatasetDir;
import io.convoforge.core.run.Gates;
import io.convoforge.core.run.Inputs;
import io.convoforge.core.run.Job;
import io.convoforge.family.groundedqa.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
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

  @Option(names = "--json", description = "Print the verdict as JSON.")
  boolean json;

  @Unmatched List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() {
    DatasetDir.conversationFiles(dir);
    Inputs inputs = DatasetDir.inputs(dir, recipe, sets);
    Gates.Verdict v = Gates.evaluate(inputs, Job.report(inputs, dir, beamArgs, Map.of()));
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
}
