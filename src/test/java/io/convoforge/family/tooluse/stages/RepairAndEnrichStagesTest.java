package io.convoforge.family.tooluse.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.TestSupport;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.run.Inputs;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.ToolUseTesting;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.ToolUse;
import io.convoforge.family.tooluse.model.Turn;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/** The repair and enrich stages in a pipeline: outputs and dead letters, with PAssert. */
class RepairAndEnrichStagesTest {
  private static ToolUseContext ctx() {
    return TestSupport.context(Inputs.load(Path.of("pipelines/crm-tool-use.yaml"), List.of(),
        10));
  }

  private static Conversation conv(String id, String outcome, Map<String, Map<String, Object>>
      seeds, ToolCall call) {
    return new Conversation(id, "test", "T006", null, outcome, Map.of(), null, seeds,
        List.of(new Turn("Show me client CL-000001.", List.of(call), List.of(),
            new Turn.Response("")), new Turn("Thanks!", List.of(), List.of(),
            new Turn.Response(""))), null, Map.of(), Map.of());
  }

  @Test
  void repairsMissingSeedsEnrichesRepliesAndDeadLettersTheRest() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    Map<String, Object> client = Map.of("client_id", "CL-000001", "name", "Acme",
        "industry", "Retail", "status", "Active");
    Conversation missingSeed = conv("a", "success", Map.of(),
        ToolCall.of("get_client", Map.of("client_id", "CL-000001")));
    Conversation impossible = conv("b", "failure", Map.of("Client:CL-000001", client),
        new ToolCall("get_client", Map.of("client_id", "CL-000001"), "not_found"));
    ToolUseContext ctx = ctx();
    PCollection<Record<ToolUse>> in = ToolUseTesting.records(p, missingSeed, impossible);
    StageResult<ToolUse> repaired = in.apply(RepairSeedMetadata.using(ctx));
    StageResult<ToolUse> enriched = repaired.output().apply(EnrichResponses.using(ctx));
    PAssert.that(enriched.output()).satisfies(out -> {
      Conversation c = ToolUseTesting.view(out).get(0);
      assertEquals("a", c.id());
      assertTrue(c.initialEntities().containsKey("Client:CL-000001"));
      assertTrue(c.turns().get(0).toolResults().get(0).ok());
      for (Turn t : c.turns()) {
        assertFalse(t.responseText().isBlank());
      }
      assertTrue(c.turns().get(0).responseText().startsWith("Here is client CL-000001"),
          c.turns().get(0).responseText());
      assertEquals(Map.of("not_found", 1), ((Map<?, ?>) c.metadata().get("repair"))
          .get("prerepair_failures"));
      return null;
    });
    PAssert.that(repaired.failures()).satisfies(out -> {
      Rejected r = out.iterator().next();
      assertEquals("b", r.id());
      assertEquals("repair", r.stage());
      assertEquals("unrepairable:intended_failure_succeeded", r.reason());
      return null;
    });
    PAssert.that(enriched.failures()).empty();
    p.run().waitUntilFinish();
  }
}
