package io.convoforge.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.TestSupport;
import io.convoforge.model.Conversation;
import io.convoforge.model.JsonCoder;
import io.convoforge.model.PlanStep;
import io.convoforge.model.Rejected;
import io.convoforge.model.ToolCall;
import io.convoforge.model.Turn;
import io.convoforge.pipeline.Inputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each stage on its own, with TestPipeline and PAssert on both outputs. */
@ExtendWith(TestPipelineExtension.class)
class StagesTest {
  private static final Inputs IN = TestSupport.inputs(TestSupport.CRM, 40);
  private static final StageContext CTX = TestSupport.context(IN);

  private static PCollection<Conversation> sampled(TestPipeline p) {
    return p.apply(SampleTasks.of(CTX, IN.strata()).withShards(4));
  }

  private static WithFailures.Result<PCollection<Conversation>, Rejected> through(
      PCollection<Conversation> in, String... stages) {
    PCollection<Conversation> cur = in;
    List<PCollection<Rejected>> failures = new ArrayList<>();
    WithFailures.Result<PCollection<Conversation>, Rejected> r = null;
    for (String s : stages) {
      r = cur.apply(StageRegistry.create(s, CTX));
      cur = r.output();
      failures.add(r.failures());
    }
    return r;
  }

  @Test
  void sampleGivesDeterministicIdsAndPersonas(TestPipeline p) {
    PAssert.that(sampled(p)).satisfies(all -> {
      int n = 0;
      for (Conversation c : all) {
        n++;
        assertTrue(c.id().startsWith("s7-T"), c.id());
        assertNotNull(c.persona().get("style"));
        assertEquals(IN.runId(), c.lineage().get("run_id"));
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
    PCollection<Conversation> in = PCollectionsUnion.of(sampled(p),
        p.apply("Bad", Create.of(bad).withCoder(JsonCoder.of(Conversation.class))));
    WithFailures.Result<PCollection<Conversation>, Rejected> r =
        in.apply(PlanWorkflows.using(CTX));
    PAssert.that(r.output()).satisfies(all -> {
      for (Conversation c : all) {
        List<String> workflow = CTX.tasks().get(c.taskId()).workflow();
        assertEquals(workflow.size(), c.plan().steps().size());
        long failing = c.plan().steps().stream().filter(PlanStep::failing).count();
        assertEquals(c.isFailure() ? 1 : 0, failing, c.id());
      }
      return null;
    });
    PAssert.that(r.failures()).satisfies(all -> {
      Rejected only = all.iterator().next();
      assertEquals("x-1", only.id());
      assertEquals("plan", only.stage());
      assertEquals("unknown_task", only.reason());
      assertEquals("NO_SUCH_TASK", only.taskId());
      return null;
    });
    p.run();
  }

  @Test
  void argumentsAreSchemaValidAndReferenceExistingEntities(TestPipeline p) {
    WithFailures.Result<PCollection<Conversation>, Rejected> r =
        through(sampled(p), "plan", "args");
    PAssert.that(r.output()).satisfies(all -> {
      for (Conversation c : all) {
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
    WithFailures.Result<PCollection<Conversation>, Rejected> r =
        p.apply(Create.of(raw).withCoder(JsonCoder.of(Conversation.class)))
            .apply(SynthesizeArguments.using(CTX));
    PAssert.that(r.output()).empty();
    PAssert.that(r.failures()).satisfies(all -> {
      assertEquals("missing_plan", all.iterator().next().reason());
      return null;
    });
    p.run();
  }

  @Test
  void utterancesAndJudgePassEveryRuleForOfflineOutput(TestPipeline p) {
    WithFailures.Result<PCollection<Conversation>, Rejected> r =
        through(sampled(p), "plan", "args", "utterances", "judge");
    PAssert.that(r.output()).satisfies(all -> {
      for (Conversation c : all) {
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
    WithFailures.Result<PCollection<Conversation>, Rejected> r =
        p.apply(Create.of(tampered).withCoder(JsonCoder.of(Conversation.class)))
            .apply(JudgeConversations.using(CTX)).output()
            .apply(FilterConversations.using(CTX));
    PAssert.that(r.output()).empty();
    PAssert.that(r.failures()).satisfies(all -> {
      Rejected rej = all.iterator().next();
      assertEquals("filter", rej.stage());
      assertTrue(rej.reason().startsWith("judge_failed:"), rej.reason());
      assertFalse(rej.element().judgement().criteria().get("arguments_grounded").passed());
      return null;
    });
    p.run();
  }

  @Test
  void filterRejectsTurnCountsOutOfRange(TestPipeline p) {
    Conversation c = goodConversation();
    Conversation shortOne = c.withTurns(c.turns().subList(0, 2)).withJudgement(null);
    WithFailures.Result<PCollection<Conversation>, Rejected> r =
        p.apply(Create.of(shortOne).withCoder(JsonCoder.of(Conversation.class)))
            .apply(FilterConversations.using(CTX));
    PAssert.that(r.failures()).satisfies(all -> {
      assertEquals("turns_out_of_range", all.iterator().next().reason());
      return null;
    });
    p.run();
  }

  /** A conversation made by the offline backend outside a pipeline, to tamper with. */
  static Conversation goodConversation() {
    try (io.convoforge.backend.Generator g = CTX.backend().open(CTX, "test")) {
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
