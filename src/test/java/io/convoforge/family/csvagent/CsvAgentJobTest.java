package io.convoforge.family.csvagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.TestSupport;
import io.convoforge.core.input.JsonSchemas;
import io.convoforge.core.model.Json;
import io.convoforge.core.run.DatasetDir;
import io.convoforge.core.run.Job;
import io.convoforge.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipe end to end, offline, as {@code run} performs it: every output written, nothing
 * lost, reruns byte-identical, a CSV the project has never seen, a malformed one refused with
 * its file and line, and episodes built from an earlier run's questions.
 */
class CsvAgentJobTest {
  @TempDir static Path tmp;
  /** The shipped recipe's trial run (3 synthetic questions per dataset). */
  static Path first;

  static Job.Result run(Path out, String... overrides) {
    return Job.run(new Job.Request(CsvAgentTesting.RECIPE, List.of(overrides), null, out, true,
        List.of()));
  }

  @BeforeAll
  static void runOnce() {
    assertEquals(0, CsvAgentTesting.trial().code(), CsvAgentTesting.trial().err());
    first = CsvAgentTesting.trialDir();
  }

  /** Every line of the files matching {@code glob}, sorted. */
  static List<String> sorted(Path dir, String glob) {
    return TestSupport.lines(dir, glob).stream().sorted().toList();
  }

  @Test
  void theRecipeWritesQuestionsEpisodesRejectionsAndAReportThatAccountsForEverything()
      throws java.io.IOException {
    JsonNode rep = DatasetDir.report(first);
    assertEquals(3, rep.path("sampled").asInt(), "three shipped datasets");
    assertTrue(rep.path("invariant").path("holds").asBoolean(), rep.path("invariant").toString());
    assertEquals(9, sorted(first, "questions*.jsonl").size());
    JsonNode t = rep.path("csv_agent").path("triangulation");
    long verified = t.path("verified").asLong();
    assertEquals(9, t.path("questions").asInt());
    assertEquals(verified, rep.path("accepted").asLong(),
        "judge, filter and dedup keep every verified episode of distinct questions");
    // Each question is 7 traces: one kept when verified, the rest rejected with a reason.
    assertEquals(9L * 7 - verified, rep.path("rejected_total").asLong());
    assertTrue(rep.path("gates").path("passed").asBoolean());
    assertEquals(List.of(), JsonSchemas.violations(JsonSchemas.compile(
        Json.parse(Files.readString(Path.of("schemas/report.schema.json")))), rep),
        "the csv_agent section is the one schemas/report.schema.json describes");
    String line = sorted(first, "conversations*.jsonl").get(0);
    for (String key : new String[] {"\"messages\"", "\"tools\"", "\"trace\"",
        "\"verification\"", "\"observed_difficulty\"", "\"tool_call_id\"", "\"lineage\""}) {
      assertTrue(line.contains(key), key);
    }
  }

  @Test
  void aRerunIsByteIdentical() {
    // The trial's overrides, given by hand: the same configuration, the same bytes.
    Job.Result again = run(tmp.resolve("again"), "questions.synthetic_per_dataset=3",
        "questions.llm_per_dataset=2");
    for (String glob : new String[] {"conversations*.jsonl", "rejected*.jsonl",
        "questions*.jsonl"}) {
      assertEquals(sorted(first, glob), sorted(again.out(), glob), glob);
    }
  }

  @Test
  void episodesFromAnEarlierRunsQuestionsFile() {
    // The seed's --triangulate: orders.csv's questions of the first run, solved again.
    List<String> orders = sorted(first, "questions*.jsonl").stream()
        .filter(l -> l.contains("\"file\":\"orders.csv\"")).toList();
    Path file = TestSupport.write(tmp.resolve("qs"), "questions.jsonl",
        String.join("\n", orders) + "\n");
    Job.Result r = run(tmp.resolve("from-file"), "datasets=data/csv/orders.csv",
        "questions_file=" + tmp.resolve("qs") + "/*.jsonl");
    assertEquals(orders, sorted(r.out(), "questions*.jsonl"));
    assertEquals(sorted(first, "conversations*.jsonl").stream()
        .filter(l -> l.contains("\"file\":\"orders.csv\"")).map(CsvAgentJobTest::id).toList(),
        sorted(r.out(), "conversations*.jsonl").stream().map(CsvAgentJobTest::id).toList(),
        "the same questions, triangulated the same way");
  }

  private static String id(String line) {
    return io.convoforge.core.model.Json.parse(line).path("id").asText();
  }

  @Test
  void aCsvTheProjectHasNeverSeenRunsThroughSetDatasets() {
    Path csv = CsvAgentTesting.shipments(tmp.resolve("unseen"), 400);
    Cli.Outcome o = Cli.run("run", CsvAgentTesting.RECIPE.toString(),
        "--set", "datasets=" + csv, "--count", "8", "--out", tmp.resolve("unseen-out")
            .toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("csv-agent: 8 questions written; 8 triangulated"), o.out());
    List<String> lines = TestSupport.lines(tmp.resolve("unseen-out"), "conversations*.jsonl");
    assertFalse(lines.isEmpty());
    assertTrue(lines.stream().allMatch(l -> l.contains("\"file\":\"shipments.csv\"")));
  }

  @Test
  void aMalformedCsvIsNamedWithItsLineAndEarlierOutputStaysIntact() throws Exception {
    Path bad = TestSupport.write(tmp.resolve("bad"), "ragged.csv",
        "city,visits,region\nLeeds,3,north\nYork,4\nHull,5,east\n");
    String before = Files.readString(first.resolve("report.json"));
    Cli.Outcome o = Cli.run("run", CsvAgentTesting.RECIPE.toString(), "--set",
        "datasets=[data/csv/orders.csv," + bad + "]", "--out", first.toString(),
        "--overwrite");
    assertEquals(2, o.code(), o.out());
    assertTrue(o.err().contains(io.convoforge.core.recipe.RecipeLoader.display(bad)
        + ", line 3: expected 3 fields as in the header, found 2"),
        o.err());
    assertFalse(o.err().contains("\tat "), "no stack trace");
    assertEquals(before, Files.readString(first.resolve("report.json")));
  }
}
