package io.convoforge.family.scenario.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.run.Inputs;
import io.convoforge.core.run.Job;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.scenario.ScenarioCodec;
import io.convoforge.family.scenario.ScenarioPlan;
import io.convoforge.family.scenario.ScenarioTesting;
import io.convoforge.family.scenario.model.ScenarioCall;
import io.convoforge.testing.FakeLlm;
import io.convoforge.testing.StubLlmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generate stage on a model: its answer checked (alternation, length, language) and re-asked
 * once, rejected with the raw answer when still wrong; answers cached per conversation id; and
 * the recipe end to end through the real OpenAI SDK against the local stub.
 */
@ExtendWith(TestPipelineExtension.class)
class GenerateWithModelTest {
  private static final Inputs IN = ScenarioTesting.inputs(14, "batch_size=7");
  @TempDir Path tmp;

  /** A model that writes one message too few for FACT-01 calls and answers the rest well. */
  private static String answer(String stage, String prompt) {
    String call = StubLlmServer.scenarioCall(prompt);
    if (!prompt.contains("id: FACT-01")) {
      return call;
    }
    var node = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(call);
    ((com.fasterxml.jackson.databind.node.ArrayNode) node.get("messages")).remove(0);
    return node.toString();
  }

  @Test
  void aWrongAnswerIsReaskedOnceThenRejectedWithTheRawAnswer(TestPipeline p) {
    FakeLlm model = FakeLlm.answering((stage, prompt, schema) -> answer(stage, prompt), null);
    Inputs in = ScenarioTesting.withBackend(IN, model);
    ScenarioPlan plan = ScenarioTesting.run(in).plan();
    long facts = 0;
    for (int b = 0; b < plan.batches(); b++) {
      facts += plan.scenarios(b).stream().filter(s -> s.id().equals("FACT-01")).count();
    }
    long bad = facts;
    assertTrue(bad > 0 && bad < 14, "the plan holds some FACT-01 calls: " + bad);
    StageResult<ScenarioCall> r = p.apply(ScenarioTesting.run(in).source(in.context(), 2))
        .apply(ScenarioTesting.stage(in, GenerateCalls.STAGE));
    long good = 14 - bad;
    PAssert.that(r.output()).satisfies(all -> {
      int n = 0;
      for (Record<ScenarioCall> c : all) {
        n++;
        assertEquals(12, c.messages().size());
        assertTrue(String.valueOf(c.lineage().get("generated_by")).startsWith("fake "));
      }
      assertEquals(good, n);
      return null;
    });
    PAssert.that(r.failures()).satisfies(all -> {
      int n = 0;
      for (Rejected f : all) {
        n++;
        assertEquals("llm_inconsistent", f.reason());
        assertEquals("FACT-01", f.slice().get(ScenarioCodec.SCENARIO));
        assertTrue(f.detail().contains("length: 11 messages, expected 12"), f.detail());
        assertTrue(f.rawResponse().contains("\"messages\""), "the raw answer is kept");
      }
      assertEquals(bad, n);
      return null;
    });
    p.run();
    assertEquals(good + 2 * bad, model.calls(GenerateCalls.STAGE), "one re-ask per bad call");
  }

  @Test
  void answersAreCachedPerConversationId() throws Exception {
    FakeLlm model = FakeLlm.answering((stage, prompt, schema) -> StubLlmServer.scenarioCall(
        prompt), tmp.resolve("cache").toString());
    Inputs in = ScenarioTesting.withBackend(IN, model);
    for (int round = 0; round < 2; round++) {
      Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
      p.apply(ScenarioTesting.run(in).source(in.context(), 2))
          .apply(ScenarioTesting.stage(in, GenerateCalls.STAGE));
      p.run().waitUntilFinish();
      assertEquals(14, model.calls(GenerateCalls.STAGE), "round " + round);
    }
  }

  @Test
  void theRecipeRunsThroughTheOpenAiSdkAgainstTheStub() throws Exception {
    try (StubLlmServer stub = StubLlmServer.start(5)) {
      Job.Result r = Job.run(new Job.Request(ScenarioTesting.RECIPE, List.of("backend=openai",
          "llm.base_url=" + stub.openAiUrl(), "llm.cache=off", "llm.timeout_seconds=5",
          "llm.max_buffering_ms=100", "registry=none", "batch_size=3",
          "prompt=data/prompts/insurance-claims-en.md"), 6, tmp.resolve("out"), false,
          List.of()));
      Map<String, Object> rep = r.report();
      assertEquals(6L, rep.get("accepted"), String.valueOf(rep.get("rejected")));
      assertEquals(6, stub.requests(GenerateCalls.STAGE));
      assertEquals(6, stub.requests("judge"), "the rubric is asked of the model");
      String line = Files.readAllLines(Files.list(tmp.resolve("out"))
          .filter(f -> f.getFileName().toString().startsWith("conversations")).findFirst()
          .orElseThrow()).get(0);
      var t = new ScenarioCodec().parse(Json.parse(line));
      assertEquals("client", t.messages().get(0).role(), "the English spec's client speaks first");
      assertTrue(String.valueOf(t.lineage().get("generated_by")).startsWith("openai "));
      assertTrue(t.judgement().criteria().containsKey("follows_scenario"));
      assertTrue(t.judgement().passed(), String.valueOf(t.judgement()));
    }
  }
}
