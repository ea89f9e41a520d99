package io.convoforge.family.groundedqa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import io.convoforge.TestSupport;
import io.convoforge.core.family.RunContext;
import io.convoforge.core.input.JsonSchemas;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.run.ConvoforgePipeline;
import io.convoforge.core.run.Funnel;
import io.convoforge.core.run.Inputs;
import io.convoforge.core.run.Job;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.groundedqa.stages.ChunkFacts;
import io.convoforge.family.groundedqa.stages.ValidateQa;
import io.convoforge.testing.FakeLlm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The grounded Q&A stages in pipelines: offline, with a fake model, with its faults. */
@ExtendWith(TestPipelineExtension.class)
class GroundedQaPipelineTest {
  static final Path RECIPE = Path.of("pipelines/grounded-qa.yaml");
  static final Path TWINS = Path.of("src/test/resources/groundedqa/twins.md");
  @TempDir Path tmp;

  /** The recipe's inputs on {@code backend}, with these overrides. */
  static Inputs inputs(io.convoforge.core.llm.Backend backend, String... overrides) {
    Inputs in = Inputs.load(RECIPE, List.of(overrides), null);
    return new Inputs(in.recipe(), in.family(), in.run(), new RunContext(in.recipe(), backend,
        in.context().runId(), in.context().seed()));
  }

  @Test
  void offlineRunOnAnUnseenDocumentHoldsEveryGate() throws Exception {
    Job.Result r = Job.run(new Job.Request(RECIPE, List.of("facts=" + Fixtures.LIBRARY,
        "as_of=2024-01-15"), null, tmp.resolve("out"), false, List.of()));
    Map<String, Object> rep = r.report();
    assertEquals(Boolean.TRUE, ((Map<?, ?>) rep.get("gates")).get("passed"), rep.toString());
    assertTrue(((Number) rep.get("accepted")).longValue() > 20, rep.toString());
    // Every extracted pair, passed or not, with its verdict.
    List<String> pairs = TestSupport.lines(r.out(), "qa_pairs*.jsonl");
    Map<?, ?> grounded = (Map<?, ?>) rep.get("grounded_qa");
    assertEquals(((Number) grounded.get("pairs_extracted")).intValue(), pairs.size());
    for (String line : pairs) {
      JsonNode p = Json.parse(line);
      assertTrue(p.has("passed") && p.has("reasons") && p.has("evidence"), line);
    }
    Schema schema = JsonSchemas.compile(Json.parse(Files.readString(
        Path.of("schemas/grounded-qa-conversation.schema.json"))));
    for (String line : TestSupport.lines(r.out(), "conversations*.jsonl")) {
      JsonNode c = Json.parse(line);
      assertEquals(List.of(), JsonSchemas.violations(schema, c));
      assertEquals("grounded-qa", c.path("kind").asText());
      assertEquals("user", c.path("messages").path(0).path("role").asText());
      for (String k : List.of("factual", "natural", "on_topic", "adds_value")) {
        assertTrue(c.path("judgement").path("criteria").path(k).path("passed").asBoolean(), k);
      }
    }
  }

  @Test
  void validateRejectsFutureDatesAndUngroundedAnswersNamingTheValue(TestPipeline p) {
    Inputs in = Inputs.load(RECIPE, List.of(), null);
    Chunk chunk = new Chunk("c-1", 0, "Events", "The summit took place on 12 May 2025."
        + " The next summit is on 14 March 2027 in Lisbon.");
    Record<GroundedQa> base = Record.of("c-1", "t", "grounded-qa", Map.of(), GroundedQa.of(chunk),
        Map.of());
    List<Record<GroundedQa>> pairs = List.of(
        pair(base, "a", "When was the summit?", "It took place on 12 May 2025.",
            "The summit took place on 12 May 2025."),
        pair(base, "b", "When is the next summit?", "On 14 March 2027 in Lisbon.",
            "The next summit is on 14 March 2027 in Lisbon."),
        pair(base, "c", "Where was the summit?", "It was in Porto on 12 May 2025.",
            "The summit took place on 12 May 2025."),
        pair(base, "d", "When was it?", "12 May 2025.", "The summit happened in May."));
    StageResult<GroundedQa> r = p.apply(Create.of(pairs).withCoder(GroundedQaContext.CODER))
        .apply(ValidateQa.using(((GroundedQaRun) in.run()).context(in.context())));
    PAssert.that(r.output()).satisfies(out -> {
      List<String> ids = new java.util.ArrayList<>();
      out.forEach(x -> ids.add(x.id()));
      assertEquals(List.of("a"), ids);
      return null;
    });
    PAssert.that(r.failures()).satisfies(out -> {
      Map<String, Rejected> byId = new HashMap<>();
      out.forEach(x -> byId.put(x.id(), x));
      assertEquals("future_date", byId.get("b").reason());
      assertTrue(byId.get("b").detail().contains("14 March 2027"), byId.get("b").detail());
      assertEquals("ungrounded", byId.get("c").reason());
      assertTrue(byId.get("c").detail().contains("Porto"), byId.get("c").detail());
      assertEquals("evidence_not_verbatim", byId.get("d").reason());
      return null;
    });
    p.run();
  }

  private static Record<GroundedQa> pair(Record<GroundedQa> base, String id, String q, String a,
      String evidence) {
    return base.child(id, base.payload().withPair(new QaPair(id, "c-1", "Events", q, a,
        evidence)));
  }

  /** A fake model: pairs from each sentence of the chunk, dialogues stating the answer. */
  static final FakeLlm.Answerer MODEL = (stage, prompt, schema) -> {
    ObjectNode root = Json.MAPPER.createObjectNode();
    switch (stage) {
      case "extract_qa" -> {
        Matcher m = Pattern.compile("-----\\n(.*?)\\n-----", Pattern.DOTALL).matcher(prompt);
        ArrayNode pairs = root.putArray("pairs");
        if (m.find()) {
          for (String sentence : m.group(1).split("(?<=\\.) ")) {
            pairs.addObject().put("question", "What about this: " + sentence.length() + "?")
                .put("answer", sentence.strip()).put("evidence", sentence.strip());
          }
        }
      }
      case "converse" -> {
        Matcher a = Pattern.compile("The correct answer: (.*)").matcher(prompt);
        String answer = a.find() ? a.group(1) : "";
        ArrayNode msgs = root.putArray("messages");
        msgs.addObject().put("role", "user").put("text", "Hello, I have a question.");
        msgs.addObject().put("role", "assistant").put("text", answer);
        msgs.addObject().put("role", "user").put("text", "Thanks a lot.");
        msgs.addObject().put("role", "assistant").put("text", "You're welcome.");
      }
      default -> schema.path("properties").fieldNames().forEachRemaining(
          n -> root.putObject(n).put("passed", true).put("detail", "ok"));
    }
    return root.toString();
  };

  @Test
  void identicalPromptsOfTwoElementsAreTwoCallsAndARerunMakesNone() throws Exception {
    Path cache = tmp.resolve("cache");
    FakeLlm model = FakeLlm.answering(MODEL, cache.toString());
    String[] sets = {"facts=" + TWINS, "stages=[chunk, extract_qa]"};
    for (int run = 0; run < 2; run++) {
      TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
      ConvoforgePipeline.build(p, inputs(model, sets), 2);
      p.run().waitUntilFinish();
      // The two "Opening hours" chunks have the same prompt: each is asked, once.
      assertEquals(3, model.calls("extract_qa"), "run " + run);
    }
    try (var files = Files.walk(cache)) {
      assertEquals(3, files.filter(Files::isRegularFile).count());
    }
  }

  @Test
  void theFunnelHoldsWithFanOutsAndAFailingModel(TestPipeline p) {
    FakeLlm model = FakeLlm.answering(MODEL, null)
        .failing("extract_qa", FakeLlm.Fault.PERMANENT, 1)
        .failing("converse", FakeLlm.Fault.MALFORMED_JSON, 3)
        .failing("converse", FakeLlm.Fault.TRANSIENT, 2)
        .failing("judge", FakeLlm.Fault.PERMANENT, 2);
    ConvoforgePipeline.Outputs out = ConvoforgePipeline.build(p,
        inputs(model, "facts=" + TWINS, "stages=[chunk, extract_qa, validate_qa, converse,"
            + " judge, filter]"), 2);
    PCollection<KV<String, Long>> funnel = out.funnel();
    PAssert.that(funnel).satisfies(counts -> {
      Map<String, Long> m = new HashMap<>();
      counts.forEach(kv -> m.put(kv.getKey(), kv.getValue()));
      List<Funnel.Entry> entries = Funnel.entries(m);
      assertEquals(List.of("chunk", "extract_qa", "validate_qa", "converse", "judge", "filter"),
          entries.stream().map(Funnel.Entry::stage).toList());
      for (Funnel.Entry e : entries) {
        assertTrue(e.holds(), e.toString());
      }
      Funnel.Entry extract = entries.get(1);
      assertEquals(1L, extract.rejected().get("llm_error"), extract.toString());
      assertTrue(extract.created() > 0, "a fan-out");
      assertTrue(entries.get(3).created() > 0, "converse fans out too");
      assertEquals(2L, entries.get(4).rejected().get("llm_error"), entries.get(4).toString());
      long created = entries.stream().mapToLong(Funnel.Entry::created).sum();
      long rejected = entries.stream().mapToLong(Funnel.Entry::rejectedTotal).sum();
      assertEquals(created, entries.get(entries.size() - 1).out() + rejected);
      assertFalse(m.isEmpty());
      return null;
    });
    p.run();
  }

  @Test
  void theSourceMakesOneRecordPerChunkWithItsHeading(TestPipeline p) {
    Inputs in = Inputs.load(RECIPE, List.of("facts=" + TWINS), null);
    PAssert.that(p.apply(((GroundedQaRun) in.run()).source(in.context(), 2)))
        .satisfies(out -> {
          Map<String, String> headings = new HashMap<>();
          out.forEach(r -> headings.put(r.id(), r.slice(ChunkFacts.HEADING)));
          assertEquals(3, headings.size());
          assertTrue(headings.containsValue("Prices"), headings.toString());
          return null;
        });
    p.run();
  }
}
