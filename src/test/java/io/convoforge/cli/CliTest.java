package io.convoforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.TestSupport;
import io.convoforge.core.model.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line contract: exit codes, messages naming file and line, nothing written. */
class CliTest {
  @TempDir Path tmp;

  record Outcome(int code, String out, String err) {}

  static synchronized Outcome cli(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Outcome(code, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void helpOnEveryCommand() {
    for (String cmd : new String[] {"run", "validate", "tools", "bench"}) {
      Outcome o = cli(cmd, "--help");
      assertEquals(0, o.code(), cmd);
      assertTrue(o.out().contains("Usage:"), cmd);
    }
  }

  @Test
  void validateAcceptsTheShippedRecipes() {
    assertEquals(0, cli("validate", TestSupport.CRM.toString()).code());
    Outcome o = cli("validate", TestSupport.CHAINS.toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("1000 elements planned"), o.out());
  }

  @Test
  void validateNamesTheFileAndLineOfAnUnknownTool() {
    Path tasks = TestSupport.write(tmp, "tasks.csv", "task_id,name,description,workflow,weight\n"
        + "A,a,do a,create_client,1\nB,b,do b,create_client>send_fax,1\n");
    Outcome o = cli("validate", TestSupport.CRM.toString(), "--set", "tasks=" + tasks);
    assertEquals(2, o.code());
    assertTrue(o.err().contains(tasks + ", line 3, column 'workflow': unknown tool 'send_fax'"),
        o.err());
    assertFalse(o.err().contains("\tat "), "no stack trace");
  }

  @Test
  void badSchemaIsNamedAndNothingIsWritten() {
    Path schema = TestSupport.write(tmp, "s.json", "{\"$defs\": {\"A\": ");
    Path out = tmp.resolve("never");
    Outcome o = cli("run", TestSupport.CRM.toString(), "--set", "schema=" + schema, "--out",
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
    assertTrue(cli("validate", TestSupport.CRM.toString(), "--set", "tasks=" + neg).err()
        .contains(neg + ", line 2, column 'weight'"));
    assertTrue(cli("validate", TestSupport.CRM.toString(), "--set", "tasks=" + empty).err()
        .contains(empty + ": the file is empty"));
    assertTrue(cli("validate", TestSupport.CRM.toString(), "--set", "tasks=" + cols).err()
        .contains(cols + ", line 1 (header): missing column 'name'"));
  }

  @Test
  void toolsPrintsOpenAiFormat() throws Exception {
    Outcome o = cli("tools", "data/crm/tables.schema.json");
    assertEquals(0, o.code());
    JsonNode tools = Json.MAPPER.readTree(o.out());
    assertEquals(50, tools.size());
    assertEquals("create_user", tools.get(0).at("/function/name").asText());
  }

  @Test
  void unknownFlagIsAUsageError() {
    Outcome o = cli("run", TestSupport.CRM.toString(), "--out", tmp.resolve("x").toString(),
        "--no-such-flag=3");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("neither a convoforge option nor a Beam pipeline option"),
        o.err());
  }

  @Test
  void runnerProfileBecomesBeamFlagsAndABadOneIsNamed() throws Exception {
    Path profile = TestSupport.write(tmp, "p.yaml", "runner: DirectRunner\ntargetParallelism: 1\n");
    Path out = tmp.resolve("prof");
    Outcome ok = cli("run", TestSupport.CRM.toString(), "--count", "4", "--out", out.toString(),
        "--conf", profile.toString());
    assertEquals(0, ok.code(), ok.err());
    assertTrue(Files.readString(out.resolve("report.json")).contains("\"DirectRunner\""));
    Path bad = TestSupport.write(tmp, "bad.yaml", "- just\n- a list\n");
    Outcome o = cli("run", TestSupport.CRM.toString(), "--conf", bad.toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains(bad + ": expected a mapping of Beam options"), o.err());
  }

  @Test
  void runWritesTheDataset() {
    Path out = tmp.resolve("ok");
    Outcome o = cli("run", TestSupport.CRM.toString(), "--count", "12", "--out", out.toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("sampled 12"), o.out());
    assertTrue(Files.exists(out.resolve("report.json")));
    // stats prints the family's report sections without knowing the family.
    Outcome stats = cli("stats", out.toString());
    assertEquals(0, stats.code(), stats.err());
    assertTrue(stats.out().contains("\ndialogue\n"), stats.out());
    assertTrue(stats.out().contains("  filler_share "), stats.out());
    assertTrue(stats.out().contains("\nrepair\n"), stats.out());
  }
}
