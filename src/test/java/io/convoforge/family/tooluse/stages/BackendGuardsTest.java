package io.convoforge.family.tooluse.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.TestSupport;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.run.Inputs;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.ToolUseTesting;
import io.convoforge.family.tooluse.backend.Generator;
import io.convoforge.family.tooluse.backend.Generators;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Plan;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.model.ToolUse;
import io.convoforge.family.tooluse.model.Turn;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Whatever a backend returns, the stages validate it: a backend that writes schema-invalid
 * arguments or calls gets its element rejected with the reason, never written as output.
 */
@ExtendWith(TestPipelineExtension.class)
class BackendGuardsTest {
  private static final Inputs IN = TestSupport.inputs(TestSupport.CRM, 1);

  /** A backend that answers every stage with a call whose arguments break the tool schema. */
  static final class SchemaBreakingBackend implements Generators.Source {
    @Override
    public Generator open(ToolUseContext context, String stage) {
      return new Generator() {
        @Override
        public Plan plan(Conversation c) {
          return null;
        }

        @Override
        public Conversation arguments(Conversation c) {
          PlanStep step = new PlanStep(0, "create_client", "create", "Client", Map.of(), null,
              "Client#1", null, Map.of("name", "Acme", "industry", "Space Tourism"));
          return c.withPlan(new Plan(List.of(step), Map.of(), Map.of(), Map.of()));
        }

        @Override
        public List<Turn> utterances(Conversation c) {
          ToolCall bad = ToolCall.of("get_client", Map.of("client_id", "not-a-client-id"));
          return List.of(new Turn("Get client not-a-client-id", List.of(bad), List.of(),
              new Turn.Response("ok")));
        }
      };
    }
  }

  private static ToolUseContext context() {
    return TestSupport.context(IN).withGenerators(new SchemaBreakingBackend());
  }

  private static Conversation element() {
    return new Conversation("e-1", "crm", "T001", null, "success", Map.of(),
        new Plan(List.of(), Map.of(), Map.of(), Map.of()), Map.of(), null, null, null, null);
  }

  @Test
  void invalidArgumentsAreRejectedWithTheViolation(TestPipeline p) {
    StageResult<ToolUse> r =
        ToolUseTesting.records(p, element()).apply(SynthesizeArguments.using(context()));
    PAssert.that(r.output()).empty();
    PAssert.that(r.failures()).satisfies(all -> {
      Rejected rej = all.iterator().next();
      assertEquals("args", rej.stage());
      assertEquals("args_schema_invalid", rej.reason());
      assertTrue(rej.detail().contains("industry"), rej.detail());
      assertTrue(rej.detail().contains("status"), "the missing required property is named");
      return null;
    });
    p.run();
  }

  @Test
  void invalidCallsInADialogueAreRejected(TestPipeline p) {
    StageResult<ToolUse> r =
        ToolUseTesting.records(p, element()).apply(WriteUtterances.using(context()));
    PAssert.that(r.output()).empty();
    PAssert.that(r.failures()).satisfies(all -> {
      Rejected rej = all.iterator().next();
      assertEquals("call_schema_invalid", rej.reason());
      assertTrue(rej.detail().startsWith("get_client"), rej.detail());
      return null;
    });
    p.run();
  }
}
