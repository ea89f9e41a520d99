package io.convoforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.TestSupport;
import io.convoforge.core.model.Json;
import io.convoforge.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line contract: exit codes, messages naming file and line, nothing written. */
class CliTest {
  @TempDir Path tmp;



  @Test
  void helpOnEveryCommand() {
    for (String cmd : new String[] {"run", "validate", "tools", "bench"}) {
      Cli.Outcome o = Cli.run(cmd, "--help");
      assertEquals(0, o.code(), cmd);
      assertTrue(o.out().contains("Usage:"), cmd);
    }
  }

  @Test
  void runAndStatsPrintTheFamilysSummaryLines() {
    Path out = tmp.resolve("echo");
    Cli.Outcome run = Cli.run("run", "src/test/resources/echo/echo.yaml", "--out", out.toString());
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("  echo: 14 answered"), run.out());
    Cli.Outcome stats = Cli.run("stats", out.toString());
    assertEquals(0, stats.code(), stats.err());
    assertTrue(stats.out().contains("\necho: 14 answered\n"), stats.out());
  }

  @Test
  void validateAcceptsTheShippedRecipes() {
    assertEquals(0, Cli.run("validate", TestSupport.CRM.toString()).code());
    Cli.Outcome o = Cli.run("validate", TestSupport.CHAINS.toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("1000 elements planned"), o.out());
  }

  @Test
  void validateNamesTheFileAndLineOfAnUnknownTool() {
    Path tasks = TestSupport.write(tmp, "tasks.csv", "task_id,name,description,workflow,weight\n"
        + "A,a,do a,create_client,1\nB,b,do b,create_client>send_fax,1\n");
    Cli.Outcome o = Cli.run("validate", TestSupport.CRM.toString(), "--set", "tasks=" + tasks);
    assertEquals(2, o.code());
    assertTrue(o.err().contains(tasks + ", line 3, column 'workflow': unknown tool 'send_fax'"),
        o.err());
    assertFalse(o.err().contains("\tat "), "no stack trace");
  }

  @Test
  void badSchemaIsNamedAndNothingIsWritten() {
    Path schema = TestSupport.write(tmp, "s.json", "{\"$defs\": {\"A\": ");
    Path out = tmp.resolve("never");
    Cli.Outcome o = Cli.run("run", TestSupport.CRM.toString(), "--set", "schema=" + schema, "--out",
        out.toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains(schema + ", line"), o.err());
    assertTrue(o.err().contains("malformed JSON"), o.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void negativeWeightAndEmptyFileAndMissingColumn() {
    String header = "task_id,name,description,workflow,weight\n";
    Path neg = TestSupport.write(tmp, "neg.csv", header + "A,a,x,create_client,-2\n");
    Path empty = TestSupport.write(tmp, "empty.csv", "");
    Path cols = TestSupport.write(tmp, "cols.csv", "task_id,workflow,weight\nA,create_client,1\n");
    assertTrue(Cli.run("validate", TestSupport.CRM.toString(), "--set", "tasks=" + neg).err()
        .contains(neg + ", line 2, column 'weight'"));
    assertTrue(Cli.run("validate", TestSupport.CRM.toString(), "--set", "tasks=" + empty).err()
        .contains(empty + ": the file is empty"));
    assertTrue(Cli.run("validate", TestSupport.CRM.toString(), "--set", "tasks=" + cols).err()
        .contains(cols + ", line 1 (header): missing column 'name'"));
  }

  @Test
  void toolsPrintsOpenAiFormat() throws Exception {
    Cli.Outcome o = Cli.run("tools", "data/crm/tables.schema.json");
    assertEquals(0, o.code());
    JsonNode tools = Json.MAPPER.readTree(o.out());
    assertEquals(50, tools.size());
    assertEquals("create_user", tools.get(0).at("/function/name").asText());
  }

  @Test
  void unknownFlagIsAUsageError() {
    Cli.Outcome o = Cli.run("run", TestSupport.CRM.toString(), "--out", tmp.resolve("x").toString(),
        "--no-such-flag=3");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("neither a convoforge option nor a Beam pipeline option"),
        o.err());
  }

  @Test
  void runnerProfileBecomesBeamFlagsAndABadOneIsNamed() throws Exception {
    Path profile = TestSupport.write(tmp, "p.yaml", "runner: DirectRunner\ntargetParallelism: 1\n");
    Path out = tmp.resolve("prof");
    Cli.Outcome ok = Cli.run("run", TestSupport.CRM.toString(), "--count", "4", "--out", out.toString(),
        "--conf", profile.toString());
    assertEquals(0, ok.code(), ok.err());
    assertTrue(Files.readString(out.resolve("report.json")).contains("\"DirectRunner\""));
    Path bad = TestSupport.write(tmp, "bad.yaml", "- just\n- a list\n");
    Cli.Outcome o = Cli.run("run", TestSupport.CRM.toString(), "--conf", bad.toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains(bad + ": expected a mapping of Beam options"), o.err());
  }

  @Test
  void runWritesTheDataset() {
    Path out = tmp.resolve("ok");
    Cli.Outcome o = Cli.run("run", TestSupport.CRM.toString(), "--count", "12", "--out", out.toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("sampled 12"), o.out());
    assertTrue(Files.exists(out.resolve("report.json")));
    // stats prints the family's dialogue metrics.
    Cli.Outcome stats = Cli.run("stats", out.toString());
    assertEquals(0, stats.code(), stats.err());
    assertTrue(stats.out().contains("\ndialogue: filler "), stats.out());
    assertTrue(stats.out().contains("  most repeated user line: "), stats.out());
  }

  @Test
  void quietPrintsNothingAndTheSummaryNamesTheNextCommands() {
    Path out = tmp.resolve("quiet");
    Cli.Outcome q = Cli.run("run", TestSupport.CRM.toString(), "--count", "8", "--quiet", "--out",
        out.toString(), "--set", "stages=[sample,plan,args,utterances,judge,filter]");
    assertEquals(0, q.code(), q.err());
    assertEquals("", q.out());
    assertEquals("", q.err());
    assertTrue(Files.isRegularFile(out.resolve("report.json")));
    Cli.Outcome o = Cli.run("run", TestSupport.CRM.toString(), "--count", "8", "--out",
        tmp.resolve("loud").toString(), "--set", "stages=[sample,plan,args,utterances,judge,filter]");
    assertEquals(0, o.code(), o.err());
    for (String s : new String[] {"accepted 8", "gates: all", "./convoforge view ",
        "./convoforge export ", "./convoforge gates "}) {
      assertTrue(o.out().contains(s), s + " in " + o.out());
    }
  }
}
