package io.convoforge.cli;

import io.convoforge.core.family.Families;
import io.convoforge.core.family.RecipeFamily;
import io.convoforge.core.input.InputException;
import io.convoforge.core.run.Job;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code convoforge} command line: the core commands, and those every recipe family on the
 * class path adds ({@code tools}, {@code repair}, {@code eval} of tool-use...). Started with no
 * command on a terminal, it runs the command named {@value #MENU} when a family adds one. Exit
 * codes: 0 success, 1 a failed run or a failed check, 2 bad input or usage. Errors are one paragraph naming the file and the field; a stack trace is
 * printed only with {@code CONVOFORGE_DEBUG=1}.
 */
@Command(
    name = "convoforge",
    mixinStandardHelpOptions = true,
    version = "convoforge 0.1.0",
    description = "Synthetic multi-turn conversation datasets, verified, on Apache Beam.",
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      GatesCommand.class,
      StatsCommand.class,
      ClusterCommand.class,
      ExportCommand.class,
      ViewCommand.class,
      PushCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Callable<Integer> {
  public static final int INPUT_ERROR = 2;
  public static final int FAILED = 1;

  /** The command a family may register to run when {@code convoforge} is started bare. */
  public static final String MENU = "menu";

  @Spec CommandSpec spec;

  /**
   * No command: on a terminal, the {@value #MENU} command if a family registered one (an
   * operator's menu); otherwise the usage.
   */
  @Override
  public Integer call() {
    CommandLine menu = spec.commandLine().getSubcommands().get(MENU);
    if (menu != null && System.console() != null) {
      return menu.execute();
    }
    spec.commandLine().usage(System.out);
    return 0;
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (tests call this in-process). */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main());
    for (RecipeFamily f : Families.all().values()) {
      for (Object command : f.commands()) {
        cl.addSubcommand(command);
      }
    }
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> handle(e, cmd.getErr()));
    return cl.execute(args);
  }

  /** Prints an error as one paragraph (a stack trace only with CONVOFORGE_DEBUG) and its exit code. */
  public static int handle(Exception e, PrintWriter err) {
    if (System.getenv("CONVOFORGE_DEBUG") != null) {
      e.printStackTrace(err);
    }
    if (e instanceof InputException) {
      err.println("error: " + e.getMessage().replace("\n", "\n  "));
      err.println("Nothing was written.");
      return INPUT_ERROR;
    }
    if (e instanceof Job.RunFailedException f) {
      err.println("error: " + f.getMessage().replace("\n", "\n  "));
      err.println(f.outputWritten()
          ? "The dataset itself is complete; only the step after it failed."
          : "The output directory was not changed. Set CONVOFORGE_DEBUG=1 for details.");
      return FAILED;
    }
    err.println("error: unexpected failure: " + Job.rootMessage(e)
        + ". Set CONVOFORGE_DEBUG=1 for the stack trace.");
    return FAILED;
  }
}
