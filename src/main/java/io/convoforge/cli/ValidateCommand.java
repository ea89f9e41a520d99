package io.convoforge.cli;

import io.convoforge.backend.Backends;
import io.convoforge.pipeline.Inputs;
import io.convoforge.schema.Tools;
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
    Backends.create(in.recipe().backend(), in.recipe().section("llm"));
    System.out.printf("OK %s: %d tables, %d tools, %d tasks, %d strata, %d elements planned,"
            + " stages %s%n",
        in.recipe().name(), in.schema().tables().size(), Tools.derive(in.schema()).size(),
        in.tasks().size(), in.strata().size(), in.sampleCount(), in.recipe().stages());
    return 0;
  }
}
