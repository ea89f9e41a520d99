package io.convoforge.family.scenario.cli;

import io.convoforge.core.llm.Secrets;
import io.convoforge.family.scenario.menu.Menu;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code convoforge menu} (and {@code convoforge} alone on a terminal): the operator menu of the
 * scenario-dialogue recipe ({@link Menu}) on stdin and stdout. It prints the equivalent command
 * line, then runs it through this command line's own {@code run} and returns its exit code (0
 * when the operator quits).
 */
@Command(
    name = "menu",
    mixinStandardHelpOptions = true,
    description = "Asks for a prompt specification, the scenario mode, the counts and the"
        + " backend, prints the equivalent command line and runs it.")
public final class MenuCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--prompts", paramLabel = "DIR", defaultValue = "data/prompts",
      description = "Folder of prompt specifications (default data/prompts).")
  Path prompts;

  @Option(names = "--recipe", paramLabel = "RECIPE.yaml", defaultValue = Menu.RECIPE,
      description = "The recipe the run uses (default " + Menu.RECIPE + ").")
  String recipe;

  @Option(names = "--out", paramLabel = "DIR", description = "Passed to run --out.")
  String out;

  @Option(names = "--set", paramLabel = "key=value", description = "Passed to run --set.")
  List<String> sets = new ArrayList<>();

  @Override
  public Integer call() {
    Menu menu = new Menu(new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8)), System.out, prompts, name -> Secrets.get(name) != null, recipe);
    Optional<List<String>> chosen = menu.run();
    if (chosen.isEmpty()) {
      return 0;
    }
    List<String> args = new ArrayList<>(chosen.get());
    if (out != null) {
      args.addAll(List.of("--out", out));
    }
    for (String s : sets) {
      args.addAll(List.of("--set", s));
    }
    System.out.println();
    System.out.println("Equivalent command:");
    System.out.println("  ./convoforge " + args.stream().map(MenuCommand::quote)
        .collect(Collectors.joining(" ")));
    System.out.println("Running it...");
    System.out.flush();
    return spec.root().commandLine().execute(args.toArray(new String[0]));
  }

  /** A shell word: as it is when safe, else in single quotes. */
  static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:=,@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
