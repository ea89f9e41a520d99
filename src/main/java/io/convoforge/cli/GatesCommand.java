package io.convoforge.cli;

import io.convoforge.model.Json;
import io.convoforge.pipeline.Inputs;
import io.convoforge.verify.DatasetDir;
import io.convoforge.verify.Gates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code convoforge gates DIR}: checks a dataset against its recipe's gates; exit 1 on a fail. */
@Command(
    name = "gates",
    mixinStandardHelpOptions = true,
    description = "Checks a produced dataset against the recipe's quality gates (count, valid"
        + " JSON, turns, success ratio, task distribution, execution on replay, empty responses,"
        + " judge pass rate); prints a table; exits 1 naming each failed gate.")
public final class GatesCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Option(names = "--recipe", description = "Recipe file (default: the one in DIR/report.json).")
  Path recipe;

  @Option(names = "--set", paramLabel = "key=value", description = "Override a recipe key.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--json", description = "Print the verdict as JSON.")
  boolean json;

  @Override
  public Integer call() {
    DatasetDir.conversationFiles(dir);
    Inputs inputs = DatasetDir.inputs(dir, recipe, sets);
    Gates.Verdict v = Gates.evaluate(dir, inputs);
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
