package io.convoforge.family.tooluse.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.TestSupport;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.run.Inputs;
import io.convoforge.core.run.StageRegistry;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.ToolUseTesting;
import io.convoforge.family.tooluse.backend.Generator;
import io.convoforge.family.tooluse.backend.Generators;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.model.ToolUse;
import io.convoforge.family.tooluse.model.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each stage on its own, with TestPipeline and PAssert on both outputs. */
@ExtendWith(TestPipelineExtension.class)
class StagesTest {
  private static final Inputs IN = TestSupport.inputs(TestSupport.CRM, 40);
  private static final ToolUseContext CTX = TestSupport.context(IN);

  private static PCollection<Record<ToolUse>> sampled(TestPipeline p) {
    return p.apply(SampleTasks.of(CTX, TestSupport.run(IN).strata()).withShards(4));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static StageResult<ToolUse> through(PCollection<Record<ToolUse>> in,
      String... stages) {
    PCollection cur = in;
    StageResult<ToolUse> r = null;
    for (String s : stages) {
      r = (StageResult<ToolUse>) cur.apply((RecordStage) StageRegistry.create(s, IN.context(),
          IN.run()));
      cur = r.output();
    }
    return r;
  }

  private static RecordStage<ToolUse, ToolUse> stage(String name) {
    @SuppressWarnings("unchecked")
    RecordStage<ToolUse, ToolUse> s =
        (RecordStage<ToolUse, ToolUse>) StageRegistry.create(name, IN.context(), IN.run());
    return s;
  }

  @Test
  void sampleGivesDeterministicIdsAndPersonas(TestPipeline p) {
    PAssert.that(sampled(p)).satisfies(all -> {
      int n = 0;
      for (Conversation c : ToolUseTesting.view(all)) {
        n++;
        assertTrue(c.id().startsWith("s7-T"), c.id());
        assertNotNull(c.persona().get("style"));
        assertEquals(IN.context().runId(), c.lineage().get("run_id"));
      }
      assertEquals(40, n);
      return null;
    });
    p.run();
  }

  @Test
  void planExpandsTheWorkflowAndRejectsUnknownTasks(TestPipeline p) {
    Conversation bad = new Conversation("x-1", "crm", "NO_SUCH_TASK", null, "success", Map.of(),
        null, null, null, null, null, null);
    PCollection<Record<ToolUse>> in =
        ToolUseTesting.union(sampled(p), ToolUseTesting.records(p, bad));
    StageResult<ToolUse> r = in.apply(PlanWorkflows.using(CTX));
    PAssert.that(r.output()).satisfies(all -> {
      for (Conversation c : ToolUseTesting.view(all)) {
        List<String> workflow = CTX.tasks().get(c.taskId()).workflow();
        List<String> planned = c.plan().steps().stream().filter(PlanStep::isWorkflow)
            .map(PlanStep::tool).toList();
        assertEquals(workflow, planned, c.id());
        long failing = c.plan().steps().stream().filter(PlanStep::failing).count();
        assertEquals(c.isFailure() ? 1 : 0, failing, c.id());
        // One turn a move, within the recipe's range.
        assertTrue(c.plan().script().size() >= 5 && c.plan().script().size() <= 10, c.id());
        assertEquals(c.isFailure(), c.metadata().containsKey("failure_cause"), c.id());
      }
      return null;
    });
    PAssert.that(r.failures()).satisfies(all -> {
      Rejected only = all.iterator().next();
      assertEquals("x-1", only.id());
      assertEquals("plan", only.stage());
      assertEquals("unknown_task", only.reason());
      assertEquals("NO_SUCH_TASK", only.slice().get("task"));
      return null;
    });
    p.run();
  }

  @Test
  void argumentsAreSchemaValidAndReferenceExistingEntities(TestPipeline p) {
    StageResult<ToolUse> r = through(sampled(p), "plan", "args");
    PAssert.that(r.output()).satisfies(all -> {
      for (Conversation c : ToolUseTesting.view(all)) {
        for (PlanStep s : c.plan().steps()) {
          if (s.arguments() != null) {
            assertTrue(CTX.validator().violations(s.tool(), s.arguments()).isEmpty(), c.id());
          }
        }
        assertFalse(c.initialEntities() == null, c.id());
      }
      return null;
    });
    PAssert.that(r.failures()).empty();
    p.run();
  }

  @Test
  void argumentsRejectAnElementWithoutAPlan(TestPipeline p) {
    Conversation raw = new Conversation("x-2", "crm", "T001", null, "success", Map.of(), null,
        null, null, null, null, null);
    StageResult<ToolUse> r =
        ToolUseTesting.records(p, raw).apply(SynthesizeArguments.using(CTX));
    PAssert.that(r.output()).empty();
    PAssert.that(r.failures()).satisfies(all -> {
      assertEquals("missing_plan", all.iterator().next().reason());
      return null;
    });
    p.run();
  }

  @Test
  void utterancesAndJudgePassEveryRuleForOfflineOutput(TestPipeline p) {
    StageResult<ToolUse> r = through(sampled(p), "plan", "args", "utterances", "judge");
    PAssert.that(r.output()).satisfies(all -> {
      for (Conversation c : ToolUseTesting.view(all)) {
        assertTrue(c.turns().size() >= 5 && c.turns().size() <= 10, c.id());
        assertTrue(c.judgement().passed(), c.id() + " " + c.judgement());
        assertEquals(1.0, c.judgement().score());
        for (Turn t : c.turns()) {
          assertFalse(t.user().isBlank());
          assertFalse(t.responseText().isBlank());
        }
      }
      return null;
    });
    p.run();
  }

  @Test
  void judgeFlagsAnUngroundedArgumentAndFilterRejectsIt(TestPipeline p) {
    Conversation good = goodConversation();
    // The user never says this name, no result returns it, no seed has it.
    int at = 0;
    while (good.turns().get(at).expectedToolCalls().isEmpty()) {
      at++;
    }
    Turn first = good.turns().get(at);
    ToolCall call = first.expectedToolCalls().get(0);
    Map<String, Object> args = new java.util.TreeMap<>(call.arguments());
    String key = args.keySet().stream().filter(k -> args.get(k) instanceof String)
        .findFirst().orElseThrow();
    args.put(key, "Zebulon Quartermaine");
    List<Turn> turns = new ArrayList<>(good.turns());
    turns.set(at, new Turn(first.user(), List.of(new ToolCall(call.name(), args,
        call.expectError())), first.toolResults(), first.expectedResponse()));
    Conversation tampered = good.withTurns(turns);
    StageResult<ToolUse> r = ToolUseTesting.records(p, tampered).apply(stage("judge")).output()
        .apply(stage("filter"));
    PAssert.that(r.output()).empty();
    PAssert.that(r.failures()).satisfies(all -> {
      Rejected rej = all.iterator().next();
      assertEquals("filter", rej.stage());
      assertTrue(rej.reason().startsWith("judge_failed:"), rej.reason());
      assertFalse(rej.element().path("judgement").path("criteria").path("arguments_grounded")
          .path("passed").asBoolean());
      return null;
    });
    p.run();
  }

  @Test
  void filterRejectsTurnCountsOutOfRange(TestPipeline p) {
    Conversation c = goodConversation();
    Conversation shortOne = c.withTurns(c.turns().subList(0, 2)).withJudgement(null);
    StageResult<ToolUse> r = ToolUseTesting.records(p, shortOne).apply(stage("filter"));
    PAssert.that(r.failures()).satisfies(all -> {
      assertEquals("turns_out_of_range", all.iterator().next().reason());
      return null;
    });
    p.run();
  }

  /** A conversation made by the offline backend outside a pipeline, to tamper with. */
  static Conversation goodConversation() {
    try (Generator g = Generators.open(CTX, "test")) {
      Conversation c = new Conversation("s7-T002-S-00000", "crm-tool-use", "T002", null,
          "success", Map.of("style", "formal", "name", "Ada Lovelace", "role", "founder"), null,
          null, null, null, Map.of("goal", "set up a client"), null);
      c = c.withPlan(g.plan(c));
      c = g.arguments(c);
      return c.withTurns(g.utterances(c));
    } catch (RejectException e) {
      throw new AssertionError(e);
    }
  }
}
