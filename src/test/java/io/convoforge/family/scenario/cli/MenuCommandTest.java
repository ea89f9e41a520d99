package io.convoforge.family.scenario.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.model.Json;
import io.convoforge.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator menu through scripted stdin, and what a bare {@code convoforge} does. */
class MenuCommandTest {
  @TempDir Path tmp;

  @BeforeEach
  void noKeys() {
    System.setProperty("convoforge.dotenv", tmp.resolve("no.env").toString());
  }

  @AfterEach
  void restore() {
    System.clearProperty("convoforge.dotenv");
  }

  @Test
  void theMenuAsksAgainOnBadEntriesPrintsTheCommandAndRunsIt() throws Exception {
    Path out = tmp.resolve("menu-run");
    // Prompt 2 (the Spanish one), fixed mode, scenario 99 (out of range) then 3, count "abc"
    // (not a number) then 6, batch size 3, the default backend (offline).
    Cli.Outcome o = Cli.withInput("2\n2\n99\n3\nabc\n6\n3\n\n", "menu",
        "--out", out.toString(), "--set", "registry=none");
    assertEquals(0, o.code(), o.all());
    String s = o.out();
    assertTrue(s.contains("'99' is out of range: enter a number from 1 to 7."), s);
    assertTrue(s.contains("'abc' is not a number"), s);
    assertTrue(s.contains("Equivalent command:\n  ./convoforge run pipelines/call-centre-es.yaml"
        + " --set prompt=data/prompts/telecom-soporte-es.md --set scenario_mode=fixed"
        + " --set scenario=TARIFA-01 --count 6 --set batch_size=3 --backend offline --out "
        + out + " --set registry=none\n"), s);
    assertTrue(s.contains("accepted 6"), "then it ran: " + s);
    try (Stream<Path> batches = Files.list(out.resolve("batches"))) {
      assertEquals(2, batches.count());
    }
    try (Stream<Path> f = Files.list(out)) {
      for (Path p : f.filter(x -> x.getFileName().toString().startsWith("conversations"))
          .toList()) {
        for (String line : Files.readAllLines(p)) {
          assertEquals("TARIFA-01", Json.parse(line).path("scenario").path("id").asText());
        }
      }
    }
  }

  @Test
  void quittingRunsNothing() {
    Cli.Outcome o = Cli.withInput("q\n", "menu", "--out",
        tmp.resolve("never").toString());
    assertEquals(0, o.code(), o.all());
    assertTrue(o.out().contains("Cancelled."), o.out());
    assertTrue(Files.notExists(tmp.resolve("never")));
  }

  @Test
  void bareConvoforgeWithoutATerminalPrintsTheUsageWithTheFamilyCommands() {
    Cli.Outcome o = Cli.run();
    assertEquals(0, o.code(), o.all());
    for (String command : List.of("run", "menu", "registry")) {
      assertTrue(o.out().contains("\n  " + command + " "), command + " in " + o.out());
    }
  }
}
