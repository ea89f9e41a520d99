package io.convoforge.family.csvagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.TestSupport;
import io.convoforge.core.family.RunContext;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.run.Inputs;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.csvagent.stages.FilterDifficulty;
import io.convoforge.family.csvagent.stages.GenerateQuestions;
import io.convoforge.family.csvagent.stages.TriangulateEpisodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Each csv-agent stage on its own, in a TestPipeline: outputs and failures. */
@ExtendWith(TestPipelineExtension.class)
class CsvAgentStagesTest {
  private static final String ORDERS = "datasets=data/csv/orders.csv";
  @TempDir Path tmp;

  /** The questions stage as the recipe's stage list makes it. */
  @SuppressWarnings("unchecked")
  private static StageResult<CsvItem> questions(TestPipeline p, Inputs in) {
    CsvAgentRun run = CsvAgentTesting.run(in);
    RunContext ctx = in.context();
    return p.apply(run.source(ctx, 1)).apply((RecordStage<DatasetRef, CsvItem>)
        run.stages().get(GenerateQuestions.STAGE).create(ctx, run));
  }

  @Test
  void datasetsBecomeTheirSyntheticQuestionsWithSlices(TestPipeline p) {
    Inputs in = CsvAgentTesting.inputs(ORDERS, "questions.synthetic_per_dataset=5");
    CsvTable t = Fixtures.table("orders.csv");
    List<String> expected = QuestionGenerator.synthetic(t, Fixtures.profile("orders.csv"), 5,
        in.context().seed()).stream().map(Question::id).sorted().toList();
    StageResult<CsvItem> r = questions(p, in);
    PAssert.that(r.output()).satisfies(records -> {
      List<String> ids = new ArrayList<>();
      for (Record<CsvItem> q : records) {
        ids.add(q.id());
        assertEquals(q.payload().question().id(), q.id());
        assertEquals("orders.csv", q.slice(CsvAgentCodec.DATASET));
        assertEquals("synthetic", q.slice(CsvAgentCodec.SOURCE));
        assertEquals(q.payload().question().difficulty().name(),
            q.slice(CsvAgentCodec.DIFFICULTY));
        assertEquals(q.payload().question().template(), q.slice(CsvAgentCodec.TEMPLATE));
        assertNull(q.payload().trace(), "not solved yet");
      }
      assertEquals(expected, ids.stream().sorted().toList(), "the generator's, offline: no llm");
      return null;
    });
    PAssert.that(r.failures()).empty();
    PAssert.thatSingleton(r.created().apply(org.apache.beam.sdk.transforms.Sum.longsGlobally()))
        .isEqualTo(4L);
    p.run();
  }

  @Test
  void aQuestionsFileReplacesGeneration(TestPipeline p) {
    List<Question> qs = QuestionGenerator.synthetic(Fixtures.table("orders.csv"),
        Fixtures.profile("orders.csv"), 8, 99L);
    Path file = TestSupport.write(tmp, "questions.jsonl",
        Json.write(qs.get(6)) + "\n\n" + Json.write(qs.get(2)) + "\n");
    StageResult<CsvItem> r = questions(p, CsvAgentTesting.inputs(ORDERS,
        "questions_file=" + file));
    Set<String> expected = new TreeSet<>(List.of(qs.get(6).id(), qs.get(2).id()));
    PAssert.that(r.output()).satisfies(records -> {
      Set<String> ids = new TreeSet<>();
      records.forEach(x -> ids.add(x.id()));
      assertEquals(expected, ids);
      return null;
    });
    p.run();
  }

  @Test
  void aDatasetWithNoQuestionAndOneChangedAfterTheCheckAreRejected(TestPipeline p)
      throws Exception {
    Path empty = TestSupport.write(tmp, "empty.csv", "city,visits\n");
    Path changing = CsvAgentTesting.shipments(tmp, 60);
    Inputs in = CsvAgentTesting.inputs("datasets=[" + empty + "," + changing + "]",
        "questions.synthetic_per_dataset=3");
    StageResult<CsvItem> r = questions(p, in);
    Files.writeString(changing, Files.readString(changing).replace("Leeds", "York"));
    PAssert.that(r.output()).empty();
    PAssert.that(r.failures()).satisfies(fails -> {
      Map<String, String> byDataset = new TreeMap<>();
      fails.forEach(f -> byDataset.put(f.slice().get(CsvAgentCodec.DATASET), f.reason()));
      assertEquals(Map.of("empty.csv", "no_questions", "shipments.csv", "dataset_changed"),
          byDataset);
      return null;
    });
    p.run();
  }

  @Test
  void episodesKeepOneVerifiedTracePerQuestionAndRejectEveryOtherWithItsReason(
      TestPipeline p) {
    Inputs in = CsvAgentTesting.inputs(ORDERS, "questions.synthetic_per_dataset=8",
        "episodes.scripted.wrong_rate=0.6", "episodes.n_consistency=5");
    CsvAgentRun run = CsvAgentTesting.run(in);
    StageResult<CsvItem> e = questions(p, in).output().apply(TriangulateEpisodes.of(
        run.settings(), run.datasets(), in.context().backend(), run.prompts(),
        in.context().runId(), in.context().seed()));
    PAssert.that(e.output()).satisfies(records -> {
      for (Record<CsvItem> x : records) {
        CsvItem c = x.payload();
        assertTrue(c.verification().verified(), x.id());
        assertEquals(5, c.verification().n());
        assertTrue(new AnswerMatch(0.1).same(c.answer(), c.question().answer(), true));
        assertEquals(c.trace().size(), x.messages().stream()
            .filter(m -> m.toolCalls() != null).count(), "one call per trace step");
        assertTrue(c.trace().stream().allMatch(s -> s.ms() == 0), "no wall time without"
            + " episodes.record_timing");
        assertEquals(Message.SYSTEM, x.messages().get(0).role());
        assertEquals(Message.ASSISTANT, x.messages().get(x.messages().size() - 1).role());
      }
      return null;
    });
    PAssert.that(e.failures()).satisfies(fails -> {
      Map<String, Integer> reasons = new TreeMap<>();
      for (Rejected f : fails) {
        reasons.merge(f.reason(), 1, Integer::sum);
        assertTrue(f.id().matches("q_[0-9a-f]{16}#[0-4]"), f.id());
        assertTrue(f.element().path("payload").has("verification"), "the verdict travels");
      }
      assertTrue(Set.of("unverified", "disagrees_with_majority", "redundant", "no_answer")
          .containsAll(reasons.keySet()), reasons.toString());
      assertTrue(reasons.containsKey("unverified") && reasons.containsKey(
          "disagrees_with_majority"), "planted wrong traces are caught: " + reasons);
      return null;
    });
    // Every question is 5 elements: the kept one (if any) and 4 or 5 rejections.
    PCollection<Long> all = org.apache.beam.sdk.values.PCollectionList.of(
            e.output().apply("CountOut", org.apache.beam.sdk.transforms.Count.globally()))
        .and(e.failures().apply("CountFailed", org.apache.beam.sdk.transforms.Count.globally()))
        .apply(org.apache.beam.sdk.transforms.Flatten.pCollections())
        .apply(org.apache.beam.sdk.transforms.Sum.longsGlobally());
    PAssert.thatSingleton(all).isEqualTo(8L * 5);
    p.run();
  }

  @Test
  void offlineALlmQuestionHasNoTeacherAndTheDifficultyFilterNamesItsReason(TestPipeline p) {
    Inputs in = CsvAgentTesting.inputs(ORDERS);
    CsvAgentRun run = CsvAgentTesting.run(in);
    CsvTable t = Fixtures.table("orders.csv");
    Question llm = new Question(LlmQuestions.id(t.sha256(), "Which country orders most?"),
        new Question.Dataset(t.file(), t.sha256()), "Which country orders most?", null,
        Difficulty.MEDIUM, Question.LLM, null, null, null, null);
    Question easy = QuestionGenerator.synthetic(t, Fixtures.profile("orders.csv"), 1, 1L).get(0);
    List<Record<CsvItem>> records = new ArrayList<>();
    for (Question q : List.of(llm, easy)) {
      records.add(Record.of(q.id(), "csv-agent", CsvAgentCodec.KIND, Map.of(), CsvItem.of(q),
          Map.of()));
    }
    PCollection<Record<CsvItem>> qs = p.apply(Create.of(records)
        .withCoder(GenerateQuestions.CODER));
    StageResult<CsvItem> e = qs.apply(TriangulateEpisodes.of(run.settings(), run.datasets(),
        in.context().backend(), run.prompts(), in.context().runId(), in.context().seed()));
    String llmId = llm.id();
    PAssert.that(e.failures()).satisfies(fails -> {
      Map<String, String> m = new HashMap<>();
      fails.forEach(f -> m.put(f.id(), f.reason()));
      assertEquals("no_offline_teacher", m.get(llmId));
      return null;
    });
    StageResult<CsvItem> d = qs.apply("OnlyHard", FilterDifficulty.keeping(
        EnumSet.of(Difficulty.HARD)));
    PAssert.that(d.output()).empty();
    PAssert.that(d.failures()).satisfies(fails -> {
      fails.forEach(f -> {
        assertEquals("difficulty", f.reason());
        assertTrue(f.detail().contains("not among the kept difficulties [HARD]"), f.detail());
      });
      return null;
    });
    p.run();
  }
}
