package io.convoforge.family.csvagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.TestSupport;
import io.convoforge.core.input.InputException;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output format read back, the two forms of a dialogue, dataset names and globs, and the
 * settings' own checks; no pipeline.
 */
class CsvAgentCodecTest {
  @TempDir Path tmp;

  @Test
  void anEpisodeLineReadsBackToTheSameLine() {
    CsvTable t = Fixtures.table("orders.csv");
    Profile p = Fixtures.profile("orders.csv");
    Question q = QuestionGenerator.synthetic(t, p, 6, 2L).get(5);
    try (SqlSandbox sandbox = SqlSandbox.open(t, p)) {
      Episode e = ScriptedSolver.create().withTypoRate(1).solve(q, p, sandbox, 4L, 0);
      Verification v = Triangulation.of(0.1, 0.7).verify(q, List.of(e.answer()));
      Record<CsvItem> r = Record.of(q.id(), "r", CsvAgentCodec.KIND, java.util.Map.of("dataset",
          "orders.csv"), CsvItem.of(q, e, v, false), java.util.Map.of("seed", 2))
          .withMessages(ChatFormat.toCore(e.messages()));
      CsvAgentCodec codec = new CsvAgentCodec();
      JsonNode line = Json.tree(codec.render(r));
      assertEquals(Json.MAPPER.valueToTree(e.messages()), line.path("messages"),
          "the OpenAI chat messages, tool_call_id included");
      assertEquals(line, Json.tree(codec.render(codec.parse(line))));
      List<Boolean> results = r.messages().stream().filter(m -> m.toolResults() != null)
          .map(m -> m.toolResults().get(0).ok()).toList();
      assertEquals(e.trace().stream().map(TraceStep::ok).toList(), results,
          "each tool message says whether its statement ran");
    }
  }

  @Test
  void aLineWithoutQuestionIsNoCsvAgentLine() {
    assertThrows(IllegalArgumentException.class,
        () -> new CsvAgentCodec().parse(Json.parse("{\"id\": \"x\"}")));
  }

  @Test
  void datasetNamesTellFilesWithTheSameNameApartAndGlobsExpandInOrder() {
    Path a = CsvAgentTesting.shipments(tmp.resolve("a"), 30);
    Path b = TestSupport.write(tmp.resolve("b"), "shipments.csv", "k,v\nx,1\ny,2\n");
    List<Path> files = DatasetFiles.expand("r.yaml", "datasets",
        List.of(tmp + "/*/shipments.csv", a.toString()), ".csv");
    assertEquals(List.of(a.toAbsolutePath(), b.toAbsolutePath()), files, "a once, sorted");
    assertEquals(List.of("a/shipments.csv", "b/shipments.csv"),
        DatasetFiles.load(files).stream().map(l -> l.ref().name()).toList());
    InputException same = assertThrows(InputException.class, () -> DatasetFiles.load(List.of(
        a, TestSupport.write(tmp.resolve("c"), "copy.csv", TestSupport.lines(tmp.resolve("a"),
            "*.csv").stream().reduce("", (x, y) -> x + y + "\n")))));
    assertTrue(same.getMessage().contains("has the same content as"), same.getMessage());
  }

  @Test
  void settingsCheckTheirValues() {
    CsvAgentSettings d = CsvAgentSettings.defaults();
    assertEquals(7, d.n());
    assertEquals(0.1, d.floatTolerance());
    assertThrows(IllegalArgumentException.class, () -> d.withSources(List.of("web")));
    assertThrows(IllegalArgumentException.class, () -> d.withAgreementThreshold(0));
    assertThrows(IllegalArgumentException.class, () -> d.withSandbox(1000, "lots", 20));
    assertThrows(IllegalArgumentException.class, () -> d.withDifficulties(List.of()));
    InputException e = assertThrows(InputException.class, () -> CsvAgentTesting.inputs(
        "sandbox.memory_limit=lots"));
    assertTrue(e.getMessage().contains("field /sandbox/memory_limit"), e.getMessage());
  }
}
