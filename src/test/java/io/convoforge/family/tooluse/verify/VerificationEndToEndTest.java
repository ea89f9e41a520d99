package io.convoforge.family.tooluse.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.cli.Main;
import io.convoforge.core.run.DatasetDir;
import io.convoforge.core.run.Gates;
import io.convoforge.core.run.Inputs;
import io.convoforge.core.run.Job;
import io.convoforge.family.tooluse.ToolUseRun;
import io.convoforge.family.tooluse.eval.Evaluator;
import io.convoforge.family.tooluse.eval.MockAgent;
import io.convoforge.family.tooluse.sandbox.Replayer;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.Tools;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "must show", on the CRM chain recipe and on a clinic domain the project was not
 * built around: after repair and enrich there are no execution failures and no empty responses,
 * the gates pass, the mock agent scores 100 %, and report.json counts pre-repair failures by
 * type; a broken copy (seeds removed, responses blanked, ratio skewed) fails the gates, naming
 * each failed gate, and {@code repair} on it passes the execution and empty-response gates.
 */
class VerificationEndToEndTest {
  @TempDir Path tmp;

  @Test
  void crmChains() throws Exception {
    check(Datasets.CRM, 30);
  }

  @Test
  void clinicNeverSeenBefore() throws Exception {
    check(Datasets.CLINIC, 36);
  }

  /** The gates of {@code dir} with the recipe and plan of {@code madeFrom}. */
  private static Gates.Verdict gates(Path dir, Path madeFrom) {
    Inputs in = DatasetDir.inputs(madeFrom, null, List.of());
    return Gates.evaluate(in, Job.report(in, dir, List.of(), Map.of()));
  }

  @SuppressWarnings("unchecked")
  private void check(Path recipe, int count) throws Exception {
    Path made = tmp.resolve("made");
    Job.Result r = Datasets.make(recipe, count, made);
    Map<String, Object> gates = (Map<String, Object>) r.report().get("gates");
    assertEquals(true, gates.get("passed"), String.valueOf(gates));
    Map<String, Object> repair = (Map<String, Object>) r.report().get("repair");
    assertTrue(repair.containsKey("prerepair_failures_by_type"));
    assertEquals(0, Main.execute("gates", made.toString()));

    Inputs inputs = DatasetDir.inputs(made, null, List.of());
    TablesSchema schema = ToolUseRun.of(inputs).schema();
    Map<String, Object> mock = new Evaluator(new Replayer(schema, Tools.derive(schema)))
        .evaluate(Datasets.read(made), new MockAgent());
    Map<String, Object> overall = (Map<String, Object>) mock.get("overall");
    assertEquals(1.0, overall.get("success_rate"));
    assertEquals(1.0, overall.get("tool_call_exact_match"));
    assertEquals(1.0, overall.get("state_match"));

    Path broken = tmp.resolve("broken");
    Datasets.breakInto(made, broken);
    Gates.Verdict v = gates(broken, broken);
    assertFalse(v.passed());
    assertTrue(v.failed().containsAll(List.of("count", "success_ratio", "execution",
        "empty_responses")), String.valueOf(v.failed()));
    assertEquals(Main.FAILED, Main.execute("gates", broken.toString()));

    Path repaired = tmp.resolve("repaired");
    assertEquals(0, Main.execute("repair", broken.toString(), "--out", repaired.toString()));
    Gates.Verdict after = gates(repaired, broken);
    assertFalse(after.failed().contains("execution"), after.table());
    assertFalse(after.failed().contains("empty_responses"), after.table());
    Map<String, Object> rep = io.convoforge.core.model.Json.MAPPER.readValue(
        repaired.resolve("report.json").toFile(), Map.class);
    Map<String, Object> counted = (Map<String, Object>) ((Map<String, Object>) rep.get("repair"))
        .get("prerepair_failures_by_type");
    assertFalse(counted.isEmpty(), "pre-repair failures should be counted by type");
    assertEquals(0L, ((Number) rep.get("rejected_total")).longValue(), String.valueOf(rep));
  }
}
