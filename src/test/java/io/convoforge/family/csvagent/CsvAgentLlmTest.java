package io.convoforge.family.csvagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convoforge.core.family.RunContext;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.run.ConvoforgePipeline;
import io.convoforge.core.run.Funnel;
import io.convoforge.core.run.Inputs;
import io.convoforge.testing.FakeLlm;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model paths with {@link FakeLlm}: LLM questions, the teacher solving step by step through
 * real SQL, triangulation by agreement, the judge's rubric, and injected faults; the funnel
 * conserves every element.
 */
@ExtendWith(TestPipelineExtension.class)
class CsvAgentLlmTest {
  static final String ROWS = "How many shipments are listed in the table?";
  static final String FLIP = "Which warehouse is the busiest?";
  private static final Pattern TABLE = Pattern.compile("on the table (\\S+), or");
  private static final Pattern RESULT = Pattern.compile("Result: (\\{.*})");
  /** Answers to FLIP per call, alternating, so its 7 traces disagree (4 of 7). */
  private static final Map<String, AtomicInteger> FLIPS = new ConcurrentHashMap<>();
  @TempDir Path tmp;

  /**
   * A fake analyst: proposes ROWS then FLIP; solves ROWS by counting rows in SQL and reading
   * the count from the result it is shown; answers FLIP at once, Leeds and York in turn;
   * passes every rubric criterion.
   */
  static String answer(String run, String stage, String prompt, JsonNode schema) {
    ObjectNode a = Json.MAPPER.createObjectNode();
    switch (stage) {
      case "questions" -> {
        var qs = a.putArray("questions");
        qs.addObject().put("text", ROWS).put("hint", "COUNT(*)").put("difficulty", "EASY");
        if (prompt.contains("Propose 2 ")) {
          qs.addObject().put("text", FLIP).put("hint", "GROUP BY").put("difficulty", "MEDIUM");
        }
      }
      case "solve" -> {
        if (prompt.contains("Question: " + FLIP)) {
          int k = FLIPS.computeIfAbsent(run, x -> new AtomicInteger()).getAndIncrement();
          a.put("action", "answer").putNull("sql").put("answer", k % 2 == 0 ? "Leeds" : "York");
        } else if (prompt.contains("(none yet)")) {
          Matcher m = TABLE.matcher(prompt);
          a.put("action", "sql").put("sql", "SELECT COUNT(*) AS n FROM "
              + (m.find() ? m.group(1) : "missing")).putNull("answer");
        } else {
          Matcher m = RESULT.matcher(prompt);
          JsonNode r = m.find() ? Json.parse(m.group(1)) : Json.MAPPER.createObjectNode();
          a.put("action", "answer").putNull("sql").set("answer", r.path("rows").path(0).path(0));
        }
      }
      default -> schema.path("properties").fieldNames().forEachRemaining(
          name -> a.putObject(name).put("passed", true).put("detail", "fine"));
    }
    return a.toString();
  }

  private static Inputs withModel(Inputs loaded, FakeLlm model) {
    return new Inputs(loaded.recipe(), loaded.family(), loaded.run(), new RunContext(
        loaded.recipe(), model, loaded.context().runId(), loaded.context().seed()));
  }

  /** Every funnel stage conserves its elements; returns rejections by reason, summed. */
  private static void conserves(ConvoforgePipeline.Outputs out) {
    PAssert.that(out.funnel()).satisfies(counts -> {
      Map<String, Long> m = new HashMap<>();
      for (KV<String, Long> kv : counts) {
        m.put(kv.getKey(), kv.getValue());
      }
      for (Funnel.Entry e : Funnel.entries(m)) {
        assertTrue(e.holds(), e.toString());
      }
      return null;
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void modelQuestionsAreSolvedStepByStepAndVerifiedByAgreement(TestPipeline p) {
    Path csv = CsvAgentTesting.shipments(tmp, 80);
    Inputs loaded = CsvAgentTesting.inputs("backend=openai", "datasets=" + csv,
        "questions.sources=[llm]",
        "questions.llm_per_dataset=2", "stages=[datasets,questions,episodes,judge,filter]");
    String run = "agree-" + System.nanoTime();
    FakeLlm model = FakeLlm.answering((stage, prompt, schema) -> answer(run, stage, prompt,
        schema), null).failing("solve", FakeLlm.Fault.TRANSIENT, 2);
    ConvoforgePipeline.Outputs out = ConvoforgePipeline.build(p, withModel(loaded, model), 2);
    String rowsId = LlmQuestions.id(CsvTable.load(csv).sha256(), ROWS);
    PAssert.that((org.apache.beam.sdk.values.PCollection<Record<?>>) out.accepted())
        .satisfies(records -> {
          int n = 0;
          for (Record<?> r : records) {
            n++;
            CsvItem c = (CsvItem) r.payload();
            assertEquals(rowsId, r.id());
            assertEquals(Question.LLM, c.question().source());
            assertEquals(1.0, c.verification().agreement());
            assertEquals(80L, ((Number) c.answer()).longValue(), "read from the real result");
            assertEquals(1, c.trace().size());
            assertTrue(c.trace().get(0).sql().startsWith("SELECT COUNT(*)"));
            assertTrue(r.judgement().criteria().containsKey("purposeful_steps"),
                "the model's rubric");
          }
          assertEquals(1, n);
          return null;
        });
    PAssert.that(out.rejected()).satisfies(rejected -> {
      Map<String, Integer> reasons = new TreeMap<>();
      for (Rejected r : rejected) {
        reasons.merge(r.reason(), 1, Integer::sum);
        if (r.reason().equals("unverified")) {
          assertTrue(r.detail().contains("agreement 0.571") && r.detail().contains("below 0.7"),
              r.detail());
        }
      }
      assertEquals(Map.of("redundant", 6, "unverified", 7), reasons,
          "transient faults were retried; FLIP's traces disagree");
      return null;
    });
    conserves(out);
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(1, model.calls("questions"));
    assertEquals(7 * 2 + 7 + 2, model.calls("solve"), "each trace its own calls, plus retries");
  }

  @Test
  void faultsRejectTheirElementWithTheModelsReasonAndNothingElse(TestPipeline p) {
    Path csv = CsvAgentTesting.shipments(tmp, 50);
    Inputs loaded = CsvAgentTesting.inputs("datasets=" + csv,
        "questions.sources=[synthetic, llm]", "questions.synthetic_per_dataset=1",
        "questions.llm_per_dataset=1", "episodes.n_consistency=3",
        "stages=[datasets,questions,episodes]");
    FakeLlm model = FakeLlm.answering((stage, prompt, schema) -> answer("faults", stage, prompt,
        schema), null).failing("questions", FakeLlm.Fault.MALFORMED_JSON, 2)
        .failing("solve", FakeLlm.Fault.PERMANENT, 1);
    ConvoforgePipeline.Outputs out = ConvoforgePipeline.build(p, withModel(loaded, model), 2);
    String llmCall = new DatasetRef("", "", CsvTable.load(csv).sha256(), 0, 0).id() + "/llm";
    PAssert.that(out.rejected()).satisfies(rejected -> {
      Map<String, Rejected> byId = new HashMap<>();
      int llmErrors = 0;
      for (Rejected r : rejected) {
        byId.put(r.id(), r);
        llmErrors += (r.reason() + r.detail()).contains("llm_error") ? 1 : 0;
      }
      Rejected call = byId.get(llmCall);
      assertEquals("llm_invalid_json", call.reason(), "the question call, not the dataset");
      assertTrue(call.rawResponse().contains("not json"), call.rawResponse());
      assertEquals(1, llmErrors, "the one trace that failed permanently");
      return null;
    });
    conserves(out);
    p.run();
  }
}
