package io.convoforge.cli;

import io.convoforge.core.run.Inputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code convoforge validate RECIPE.yaml}: checks every input, runs nothing. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Checks the recipe and every input it names; prints what is wrong; runs"
        + " nothing.")
public final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RECIPE.yaml")
  Path recipe;

  @Option(names = "--set", paramLabel = "key=value", description = "Override a recipe key.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--count", description = "Check the plan for this many elements.")
  Integer count;

  @Override
  public Integer call() {
    Inputs in = Inputs.load(recipe, sets, count);
    System.out.printf("OK %s (%s): %s; stages %s; backend %s%n", in.recipe().name(),
        in.recipe().kind(), in.run().describe(), in.recipe().stages(),
        in.context().backend().name());
    return 0;
  }
}
