package io.convoforge.family.scenario.menu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MenuTest {
  private static final Path PROMPTS = Path.of("data/prompts");
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

  private Optional<List<String>> run(Path dir, Set<String> keys, String... lines) {
    Menu m = new Menu(new BufferedReader(new StringReader(String.join("\n", lines) + "\n")),
        new PrintStream(screen, true, StandardCharsets.UTF_8), dir, keys::contains);
    return m.run();
  }

  private String screen() {
    return screen.toString(StandardCharsets.UTF_8);
  }

  @Test
  void emptyLinesTakeEveryDefault() {
    List<String> args = run(PROMPTS, Set.of(), "", "", "", "", "").get();
    assertEquals(List.of("run", "pipelines/call-centre-es.yaml",
        "--set", "prompt=data/prompts/insurance-claims-en.md", "--set", "scenario_mode=random",
        "--count", "100", "--set", "batch_size=25", "--backend", "offline"), args);
    String s = screen();
    assertTrue(s.contains("1) Harbor Mutual home insurance — claims and policy line  [en-US,"
        + " 5 scenarios, 10 turns, first: client]"), s);
    assertTrue(s.contains("[es-ES, 7 scenarios, 12 turns, first: agent]"), s);
    assertTrue(s.contains("appears here when GEMINI_API_KEY or GOOGLE_API_KEY or OPENAI_API_KEY"),
        s);
  }

  @Test
  void badEntriesAreAskedAgainWithAReason() {
    List<String> args = run(PROMPTS, Set.of("OPENAI_API_KEY"),
        "3", "two", "2",            // prompt: out of range, not a number, then the Spanish one
        "2",                        // fixed
        "0", "4",                   // scenario: out of range, then TRASLADO-01
        "-4", "1,000",              // count
        "2000", "40",               // batch size larger than the count, then 40
        "2").get();                 // openai, listed because its key is present
    assertEquals(List.of("run", "pipelines/call-centre-es.yaml",
        "--set", "prompt=data/prompts/telecom-soporte-es.md", "--set", "scenario_mode=fixed",
        "--set", "scenario=TRASLADO-01", "--count", "1000", "--set", "batch_size=40",
        "--backend", "openai"), args);
    String s = screen();
    assertTrue(s.contains("'3' is out of range: enter a number from 1 to 2."), s);
    assertTrue(s.contains("'two' is not a number"), s);
    assertTrue(s.contains("'0' is out of range: enter a number from 1 to 7."), s);
    assertTrue(s.contains("'2000' is out of range: enter a number from 1 to 1000."), s);
    assertTrue(s.contains("4) TRASLADO-01 — Traslado de la fibra por mudanza"), s);
    assertTrue(s.contains("2) openai  (key found)"), s);
  }

  @Test
  void quitOrEndOfInputCancels() {
    assertTrue(run(PROMPTS, Set.of(), "1", "q").isEmpty());
    assertTrue(run(PROMPTS, Set.of(), "1").isEmpty());
    assertTrue(screen().contains("Cancelled."));
  }

  @Test
  void brokenSpecsAreShownButNotOffered(@TempDir Path dir) throws Exception {
    Files.copy(Path.of("data/prompts/telecom-soporte-es.md"), dir.resolve("a.md"));
    Files.writeString(dir.resolve("b.md"), "# not a spec\n");
    Files.writeString(dir.resolve("notes.txt"), "ignored\n");
    List<String> args = run(dir, Set.of(), "2", "", "", "", "", "").get();
    assertTrue(args.contains("prompt=" + dir.resolve("a.md")), args.toString());
    assertTrue(screen().contains("(not usable) b.md: expected YAML front matter"), screen());
    assertTrue(screen().contains("'2' is out of range"), screen());
  }
}
