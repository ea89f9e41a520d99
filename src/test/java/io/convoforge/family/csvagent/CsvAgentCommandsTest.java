package io.convoforge.family.csvagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convoforge.TestSupport;
import io.convoforge.core.model.Json;
import io.convoforge.testing.Cli;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The family's commands on a {@code run --trial} of the shipped recipe: the trial's printout,
 * {@code inspect questions|episodes|trace}, {@code validate-question}, and the checks {@code
 * validate} makes before anything runs.
 */
class CsvAgentCommandsTest {
  @TempDir static Path tmp;
  static Path dir;
  static Cli.Outcome trial;

  @BeforeAll
  static void trial() {
    trial = CsvAgentTesting.trial();
    dir = CsvAgentTesting.trialDir();
  }

  private static Cli.Outcome cli(String... args) {
    return Cli.run(args);
  }

  @Test
  void theTrialPrintsTheFunnelPassRatesAndTheVerifiedCounts() {
    assertEquals(0, trial.code(), trial.err());
    String out = trial.out();
    assertTrue(out.contains("funnel"), out);
    assertTrue(out.contains("episodes "), out);
    assertTrue(out.contains("judge pass rate"), out);
    assertTrue(out.contains("csv-agent: 9 questions written; 9 triangulated: "), out);
    assertTrue(out.contains("by source: synthetic "), out);
  }

  @Test
  void inspectQuestionsAndEpisodes() {
    Cli.Outcome q = cli("inspect", "questions", dir.toString(), "--show-hint");
    assertEquals(0, q.code(), q.err());
    assertTrue(q.out().contains("9 questions (9 synthetic, 0 llm)"), q.out());
    assertTrue(q.out().contains("  hint: "), q.out());
    assertFalse(cli("inspect", "questions", dir.toString()).out().contains("  hint: "));
    Cli.Outcome e = cli("inspect", "episodes", dir.toString(), "--verified");
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().matches("(?s).*\\[accepted [4-7]/7, .*\\d+ verified episodes\\n"), e.out());
    assertTrue(cli("inspect", "episodes", dir.toString()).out().contains("unverified questions"));
  }

  @Test
  void inspectTraceShowsEveryStepTheAnswersAndTheVerdict() {
    String id = Json.parse(TestSupport.lines(dir, "conversations*.jsonl").get(0)).path("id")
        .asText();
    Cli.Outcome t = cli("inspect", "trace", dir.toString(), id);
    assertEquals(0, t.code(), t.err());
    for (String s : new String[] {"Episode " + id + " (accepted)", "Question: ", "Step 1",
        "  SQL: ", "Final: The answer is ", "Answers of the 7 traces: ", "Verdict: verified"}) {
      assertTrue(t.out().contains(s), s + " in\n" + t.out());
    }
    JsonNode rejected = Json.parse(TestSupport.lines(dir, "rejected*.jsonl").get(0));
    Cli.Outcome r = cli("inspect", "trace", dir.toString(), rejected.path("id").asText());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("(rejected at episodes: " + rejected.path("reason").asText()),
        r.out());
    Cli.Outcome none = cli("inspect", "trace", dir.toString(), "q_nothing");
    assertEquals(2, none.code());
    assertTrue(none.err().contains("holds no episode or trace with id 'q_nothing'"), none.err());
  }

  @Test
  void validateQuestionRunsTheStoredSqlAndComparesWithTheStoredAnswer() {
    List<String> lines = TestSupport.lines(dir, "questions*.jsonl");
    Path file = TestSupport.write(tmp, "q.jsonl", String.join("\n", lines) + "\n");
    JsonNode q = Json.parse(lines.get(0));
    String csv = "data/csv/" + q.path("dataset").path("file").asText();
    Cli.Outcome ok = cli("validate-question", "--csv", csv, "--questions-file",
        file.toString(), "--index", "0", "--show-code");
    assertEquals(0, ok.code(), ok.out() + ok.err());
    assertTrue(ok.out().contains("SQL: " + q.path("sql").asText()), ok.out());
    assertTrue(ok.out().endsWith("MATCH\n"), ok.out());

    ObjectNode wrong = (ObjectNode) q.deepCopy();
    wrong.put("answer", "no such value");
    Path tampered = TestSupport.write(tmp, "wrong.jsonl", wrong + "\n");
    Cli.Outcome bad = cli("validate-question", "--csv", csv, "--questions-file",
        tampered.toString(), "--index", "0");
    assertEquals(1, bad.code(), bad.out());
    assertTrue(bad.out().contains("MISMATCH"), bad.out());

    Cli.Outcome range = cli("validate-question", "--csv", csv, "--questions-file",
        file.toString(), "--index", "9");
    assertEquals(2, range.code());
    assertTrue(range.err().contains("holds 9 questions; 9 is out of range (0..8)"),
        range.err());
  }

  @Test
  void validateRefusesWhatCouldNotRunWithTheFieldNamed() {
    String recipe = CsvAgentTesting.RECIPE.toString();
    assertEquals(0, cli("validate", recipe).code());
    Cli.Outcome order = cli("validate", recipe, "--set",
        "stages=[datasets,episodes,judge]");
    assertEquals(2, order.code());
    assertTrue(order.err().contains("field stages[1]: must be 'questions'"), order.err());
    Cli.Outcome judge = cli("validate", recipe, "--set",
        "stages=[datasets,questions,judge,episodes]");
    assertTrue(judge.err().contains("field stages[2]: 'judge' works on episodes"), judge.err());
    Cli.Outcome typo = cli("validate", recipe, "--set",
        "stages=[datasets,questions,episdoes,judge]");
    assertTrue(typo.err().contains("field stages[2]: unknown stage 'episdoes'"), typo.err());
    Cli.Outcome glob = cli("validate", recipe, "--set", "datasets=nowhere/*.csv");
    assertTrue(glob.err().contains("field datasets: 'nowhere/*.csv' matches no .csv file"),
        glob.err());
    Cli.Outcome llmOnly = cli("validate", recipe, "--set", "questions.sources=[llm]");
    assertTrue(llmOnly.err().contains("field questions.sources: is [llm] but the backend is"
        + " offline"), llmOnly.err());
    Cli.Outcome cold = cli("validate", recipe, "--set", "backend=openai", "--set",
        "llm.stages.solve.temperature=0");
    assertTrue(cold.err().contains("field llm.stages.solve.temperature: is 0"), cold.err());
    Cli.Outcome keys = cli("validate", recipe, "--set", "episodes.n_consistensy=3");
    assertTrue(keys.err().contains("n_consistensy"), keys.err());
  }
}
