package io.convoforge.family.scenario.menu;

import io.convoforge.core.input.InputException;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The operator menu of the scenario-dialogue recipe: a few numbered questions on a text
 * terminal, each with a default taken by an empty line, each bad answer asked again with the
 * reason. In: the prompts folder, the lines typed, and a test of whether an environment variable
 * (an API key) is set. Out: the command-line arguments of the equivalent run, for the caller to
 * print and execute; empty when the operator quits ({@code q}) or input ends.
 *
 * <pre>
 * run pipelines/call-centre-es.yaml --set prompt=FILE --set scenario_mode=random|fixed
 *     [--set scenario=ID] --count N --set batch_size=B --backend NAME
 * </pre>
 *
 * <p>Specs that do not parse are listed apart with their first problem and cannot be picked. The
 * backends offered are {@code offline} (the default: free, deterministic) and each LLM backend
 * whose key variable is present.
 */
public final class Menu {
  public static final String RECIPE = "pipelines/call-centre-es.yaml";
  /** LLM backends and the variables, any of which holds their key. */
  public static final Map<String, List<String>> LLM_KEYS = Map.of(
      "openai", List.of("OPENAI_API_KEY"),
      "gemini", List.of("GEMINI_API_KEY", "GOOGLE_API_KEY"));
  static final int MAX_COUNT = 1_000_000;

  private final BufferedReader in;
  private final PrintStream out;
  private final Path promptsDir;
  private final Predicate<String> keyPresent;
  private final String recipe;

  public Menu(BufferedReader in, PrintStream out, Path promptsDir, Predicate<String> keyPresent) {
    this(in, out, promptsDir, keyPresent, RECIPE);
  }

  /** A menu whose runs use {@code recipe} (default {@value #RECIPE}). */
  public Menu(BufferedReader in, PrintStream out, Path promptsDir, Predicate<String> keyPresent,
      String recipe) {
    this.in = in;
    this.out = out;
    this.promptsDir = promptsDir;
    this.keyPresent = keyPresent;
    this.recipe = recipe;
  }

  /** Asks the questions; the run's arguments, or empty when the operator quits. */
  public Optional<List<String>> run() {
    try {
      return Optional.ofNullable(ask());
    } catch (Quit q) {
      out.println("Cancelled.");
      return Optional.empty();
    }
  }

  private List<String> ask() {
    List<Path> files = new ArrayList<>();
    List<PromptSpec> specs = new ArrayList<>();
    List<String> broken = new ArrayList<>();
    for (Path f : markdownFiles()) {
      try {
        specs.add(PromptSpec.read(f));
        files.add(f);
      } catch (InputException e) {
        broken.add(f.getFileName() + ": " + e.problems().get(0).message());
      }
    }
    if (specs.isEmpty()) {
      out.println("No prompt specification in " + promptsDir + " parses." + (broken.isEmpty()
          ? "" : " Problems:\n  " + String.join("\n  ", broken)));
      return null;
    }
    out.println("Scenario call-centre dialogues — empty line takes the [default], q quits.");
    out.println();
    out.println("Prompt specifications in " + promptsDir + ":");
    for (int i = 0; i < specs.size(); i++) {
      PromptSpec s = specs.get(i);
      out.printf(Locale.ROOT, "  %d) %s  [%s, %d scenarios, %d turns, first: %s]  %s%n", i + 1,
          s.title(), s.language(), s.scenarios().size(), s.turns(), s.first().wire(),
          files.get(i).getFileName());
    }
    for (String b : broken) {
      out.println("  (not usable) " + b);
    }
    int p = choose("Prompt", specs.size(), 1);
    PromptSpec spec = specs.get(p - 1);

    out.println();
    out.println("Scenario mode:");
    out.println("  1) random  (each call samples a scenario, balanced across the batch)");
    out.println("  2) fixed   (one scenario for every call)");
    boolean fixed = choose("Scenario mode", 2, 1) == 2;
    String scenario = null;
    if (fixed) {
      out.println();
      out.println("Scenarios of " + spec.title() + ":");
      for (int i = 0; i < spec.scenarios().size(); i++) {
        Scenario s = spec.scenarios().get(i);
        out.printf(Locale.ROOT, "  %d) %s — %s%n", i + 1, s.id(), s.title());
      }
      scenario = spec.scenarios().get(choose("Scenario", spec.scenarios().size(), 1) - 1).id();
    }

    out.println();
    int count = number("Total conversations", 100, 1, MAX_COUNT);
    int batch = number("Batch size", Math.min(25, count), 1, count);

    List<String> backends = new ArrayList<>(List.of("offline"));
    LLM_KEYS.keySet().stream().sorted().filter(b -> LLM_KEYS.get(b).stream().anyMatch(keyPresent))
        .forEach(backends::add);
    out.println();
    out.println("Backend:");
    for (int i = 0; i < backends.size(); i++) {
      out.printf(Locale.ROOT, "  %d) %s%s%n", i + 1, backends.get(i),
          i == 0 ? "  (phrase banks, no model, no cost)" : "  (key found)");
    }
    if (backends.size() == 1) {
      out.println("  (an LLM backend appears here when " + String.join(" or ", LLM_KEYS.values()
          .stream().flatMap(List::stream).sorted().toList()) + " is set)");
    }
    String backend = backends.get(choose("Backend", backends.size(), 1) - 1);

    List<String> args = new ArrayList<>(List.of("run", recipe, "--set", "prompt=" + files.get(p - 1),
        "--set", "scenario_mode=" + (fixed ? "fixed" : "random")));
    if (fixed) {
      args.addAll(List.of("--set", "scenario=" + scenario));
    }
    args.addAll(List.of("--count", Integer.toString(count), "--set", "batch_size=" + batch,
        "--backend", backend));
    return args;
  }

  private int choose(String what, int options, int dflt) {
    return number(what, dflt, 1, options);
  }

  private int number(String what, int dflt, int min, int max) {
    while (true) {
      out.printf(Locale.ROOT, "%s [%d]: ", what, dflt);
      out.flush();
      String line = line();
      if (line.isEmpty()) {
        return dflt;
      }
      try {
        int v = Integer.parseInt(line.replace("_", "").replace(",", ""));
        if (v >= min && v <= max) {
          return v;
        }
        out.printf(Locale.ROOT, "  '%s' is out of range: enter a number from %d to %d.%n", line,
            min, max);
      } catch (NumberFormatException e) {
        out.printf(Locale.ROOT, "  '%s' is not a number: enter a number from %d to %d.%n", line,
            min, max);
      }
    }
  }

  private String line() {
    try {
      String l = in.readLine();
      if (l == null || l.trim().equalsIgnoreCase("q")) {
        throw new Quit();
      }
      return l.trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Path> markdownFiles() {
    if (!Files.isDirectory(promptsDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(promptsDir)) {
      return s.filter(f -> f.getFileName().toString().endsWith(".md")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class Quit extends RuntimeException {
    Quit() {
      super(null, null, false, false);
    }
  }
}
