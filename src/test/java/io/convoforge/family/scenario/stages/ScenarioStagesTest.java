package io.convoforge.family.scenario.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCoder;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.run.Inputs;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.scenario.ScenarioCodec;
import io.convoforge.family.scenario.ScenarioPlan;
import io.convoforge.family.scenario.ScenarioRun;
import io.convoforge.family.scenario.ScenarioTesting;
import io.convoforge.family.scenario.TranscriptRules;
import io.convoforge.family.scenario.Verdict;
import io.convoforge.family.scenario.model.ScenarioCall;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The family's stages on their own, offline, with TestPipeline and PAssert on both outputs. */
@ExtendWith(TestPipelineExtension.class)
class ScenarioStagesTest {
  /** 23 calls in batches of 10: two full batches and one of 3. */
  private static final Inputs IN = ScenarioTesting.inputs(23, "batch_size=10");
  private static final ScenarioRun RUN = ScenarioTesting.run(IN);

  private static PCollection<Record<ScenarioCall>> sampled(TestPipeline p) {
    return p.apply(RUN.source(IN.context(), 3));
  }

  @Test
  void sampleMakesOneRecordPerPlannedSlotWithItsScenario(TestPipeline p) {
    ScenarioPlan plan = RUN.plan();
    Map<String, String> expected = new TreeMap<>();
    for (int b = 0; b < plan.batches(); b++) {
      for (int s = 0; s < plan.size(b); s++) {
        expected.put(ScenarioPlan.conversationId(plan.batchId(b), s), plan.scenario(b, s).id());
      }
    }
    assertEquals(23, expected.size());
    PAssert.that(sampled(p)).satisfies(all -> {
      Map<String, String> got = new TreeMap<>();
      for (Record<ScenarioCall> r : all) {
        got.put(r.id(), r.slice(ScenarioCodec.SCENARIO));
        assertEquals(r.slice(ScenarioCodec.BATCH), plan.batchId(r.payload().batchIndex()));
        assertEquals(r.id(), ScenarioPlan.conversationId(r.slice(ScenarioCodec.BATCH),
            r.payload().slot()));
        assertEquals("es-ES", r.slice(ScenarioCodec.LANGUAGE));
        assertEquals(plan.spec().id(), r.slice(ScenarioCodec.PROMPT));
        assertEquals(IN.context().runId(), r.lineage().get("run_id"));
        assertEquals(plan.spec().sha256(), r.lineage().get("prompt_sha256"));
        assertTrue(r.messages().isEmpty());
      }
      assertEquals(expected, got, "every slot once, under the plan's scenario");
      return null;
    });
    p.run();
  }

  @Test
  void generateAndTimestampsGiveCallsThatPassEveryRule(TestPipeline p) {
    StageResult<ScenarioCall> generated =
        sampled(p).apply(ScenarioTesting.stage(IN, GenerateCalls.STAGE));
    PAssert.that(generated.output()).satisfies(all -> {
      for (Record<ScenarioCall> r : all) {
        assertEquals(12, r.messages().size());
        assertEquals("agent", r.messages().get(0).role());
        assertNull(r.messages().get(0).timestamp(), "the writer gives no timestamps");
        assertTrue(String.valueOf(r.lineage().get("generated_by")).startsWith("phrase-bank es"));
      }
      return null;
    });
    StageResult<ScenarioCall> stamped =
        generated.output().apply(ScenarioTesting.stage(IN, AssignTimestamps.STAGE));
    TranscriptRules rules = TranscriptRules.forSpec(RUN.spec());
    PAssert.that(stamped.output()).satisfies(all -> {
      int n = 0;
      for (Record<ScenarioCall> r : all) {
        n++;
        List<Verdict> v = rules.check(RUN.spec().scenario(r.slice(ScenarioCodec.SCENARIO))
            .orElseThrow(), ScenarioCodec.transcriptMessages(r.messages()));
        assertTrue(TranscriptRules.allPassed(v), r.id() + " " + v);
        assertTrue(r.messages().get(11).timestamp().endsWith("+01:00"));
      }
      assertEquals(23, n);
      return null;
    });
    PAssert.that(generated.failures()).empty();
    PAssert.that(stamped.failures()).empty();
    p.run();
  }

  @Test
  void anUnknownScenarioAndARolelessMessageAreRejectedWithTheirStage(TestPipeline p) {
    RecordCoder<ScenarioCall> coder = RecordCoder.of(ScenarioCall.class);
    Record<ScenarioCall> unknown = Record.of("b-x-c0000", "call-centre-es", ScenarioCodec.KIND,
        Map.of(ScenarioCodec.SCENARIO, "NOPE-01"), new ScenarioCall("?", 0, 0), Map.of());
    Record<ScenarioCall> roleless = Record.of("b-x-c0001", "call-centre-es", ScenarioCodec.KIND,
        Map.of(ScenarioCodec.SCENARIO, "FACT-01"), new ScenarioCall("?", 0, 1), Map.of())
        .withMessages(List.of(Message.of("agent", "Hola"), Message.of("user", "Hola")));
    StageResult<ScenarioCall> gen = p.apply("Unknown", Create.of(List.of(unknown))
        .withCoder(coder)).apply(ScenarioTesting.stage(IN, GenerateCalls.STAGE));
    StageResult<ScenarioCall> ts = p.apply("Roleless", Create.of(List.of(roleless))
        .withCoder(coder)).apply(ScenarioTesting.stage(IN, AssignTimestamps.STAGE));
    PAssert.that(gen.output()).empty();
    PAssert.that(ts.output()).empty();
    PAssert.that(gen.failures()).satisfies(f -> reasons(f, "generate", "unknown_scenario"));
    PAssert.that(ts.failures()).satisfies(f -> reasons(f, "timestamps", "no_role"));
    p.run();
  }

  private static Void reasons(Iterable<Rejected> failures, String stage, String reason) {
    Set<String> seen = new HashSet<>();
    for (Rejected r : failures) {
      assertEquals(stage, r.stage());
      assertNotNull(r.element(), "the element as the stage received it");
      seen.add(r.reason());
    }
    assertEquals(Set.of(reason), seen);
    return null;
  }
}
