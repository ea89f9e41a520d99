package io.convoforge.testing.echo;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.family.FamilyRun;
import io.convoforge.core.family.Gate;
import io.convoforge.core.family.RecipeFamily;
import io.convoforge.core.family.RunContext;
import io.convoforge.core.family.StageFactory;
import io.convoforge.core.family.Summary;
import io.convoforge.core.llm.Prompts;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Judgement;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCodec;
import io.convoforge.core.model.RecordCoder;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.core.stages.Judging;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A tiny family that exists only in the tests and is registered only through {@code
 * src/test/resources/META-INF/services}: proof that a family plugs in without touching core.
 * Recipe keys: {@code lines} (the user lines), {@code split} (children per line) and {@code
 * files} (a list of paths, unused but resolved like any path key). Stages:
 * {@code say} (the source: one record per line), {@code split} (a fan-out: {@code split}
 * children per line, a line with "BAD" rejected whole, the second child of a line with
 * "drop-one" rejected alone), {@code answer} (model-facing: the assistant's reply; offline, the
 * line in capitals). After the commit it records the output directory and whether its report
 * was there ({@link #COMMITTED}), and fails when a line says {@value #FAIL_AFTER_COMMIT}.
 */
public final class EchoFamily implements RecipeFamily {
  public static final String KIND = "test-echo";
  static final RecordCoder<String> CODER = RecordCoder.of(String.class);
  /** A line that makes the family's step after the commit fail. */
  public static final String FAIL_AFTER_COMMIT = "fail after commit";
  /** Output directories the family was told were committed, with their report present. */
  public static final java.util.Queue<String> COMMITTED =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public JsonNode recipeSchema() {
    return Json.parse("{\"type\": \"object\", \"required\": [\"lines\"], \"properties\": {"
        + "\"lines\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}},"
        + "\"split\": {\"type\": \"integer\", \"minimum\": 1},"
        + "\"files\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}}}");
  }

  @Override
  public Set<String> pathKeys() {
    return Set.of("files");
  }

  @Override
  public Map<String, Object> defaults() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("stages", List.of("say", "split", "answer", "judge", "filter"));
    d.put("split", 2);
    return d;
  }

  @Override
  @SuppressWarnings("unchecked")
  public FamilyRun prepare(Recipe recipe, Integer count) {
    List<String> lines = (List<String>) recipe.value("lines");
    int split = ((Number) recipe.value("split")).intValue();
    Prompts prompts = Prompts.load(Prompts.dirOf(recipe.section("llm")), KIND,
        List.of("answer"), List.of());
    return new Run(this, recipe, lines, split, prompts);
  }

  @Override
  public RecordCodec codec() {
    return new Codec();
  }

  @Override
  public List<String> reportLines(JsonNode report) {
    return List.of("echo: " + report.path("echo").path("answered").asLong() + " answered");
  }

  /** Writes and reads the record envelope as it is. */
  static final class Codec implements RecordCodec {
    @Override
    public Object render(Record<?> r) {
      return r;
    }

    @Override
    public Record<?> parse(JsonNode line) {
      return CODER.read(Json.bytes(line));
    }

    @Override
    public RecordCoder<String> coder() {
      return CODER;
    }
  }

  record Run(EchoFamily family, Recipe recipe, List<String> lines, int split, Prompts prompts)
      implements FamilyRun {
    @Override
    public String describe() {
      return lines.size() + " lines, " + split + " children each";
    }

    @Override
    public String fingerprint() {
      return String.join("\n", lines);
    }

    @Override
    public String sourceStage() {
      return "say";
    }

    @Override
    public PTransform<PBegin, PCollection<Record<String>>> source(RunContext ctx, int shards) {
      return new PTransform<>("Say") {
        @Override
        public PCollection<Record<String>> expand(PBegin in) {
          List<Record<String>> records = new java.util.ArrayList<>();
          for (int i = 0; i < lines.size(); i++) {
            records.add(Record.of(String.format("echo-%03d", i), recipe.name(), KIND,
                Map.of("line", String.valueOf(i)), lines.get(i), ctx.lineage())
                .withMessages(List.of(Message.of(Message.USER, lines.get(i)))));
          }
          return in.apply(Create.of(records).withCoder(CODER));
        }
      };
    }

    @Override
    public Map<String, StageFactory> stages() {
      Map<String, StageFactory> m = new LinkedHashMap<>();
      m.put("split", (ctx, run) -> new Split(split));
      m.put("answer", (ctx, run) -> new Answer(ctx.backend(), prompts, ctx.runId()));
      return m;
    }

    @Override
    public Judging<String> judging(RunContext ctx) {
      return new EchoJudging();
    }

    @Override
    public String defaultSelectPer() {
      return "line";
    }

    @Override
    public Long expectedCount() {
      return null;
    }

    /**
     * The accepted records counted by a {@link Summary}, and the rejections by a plain count: a
     * family's summary in two pieces, one of them over what it rejected.
     */
    @Override
    public PCollection<Map<String, Object>> summarize(PCollection<Record<?>> accepted,
        PCollection<Rejected> rejected, RunContext ctx) {
      PCollection<Map<String, Object>> seen = rejected
          .apply("CountRejected", Count.globally())
          .apply("RejectedSeen", MapElements.into(new TypeDescriptor<Map<String, Object>>() {})
              .via(n -> Map.<String, Object>of("rejected_seen", n)))
          .setCoder(Summary.MAP_CODER);
      return PCollectionList.of(Summary.globally(accepted, new Answered())).and(seen)
          .apply("EchoSummary", Flatten.pCollections());
    }

    @Override
    public void committed(java.nio.file.Path out, Map<String, Object> report) {
      COMMITTED.add(out + (java.nio.file.Files.isRegularFile(out.resolve("report.json"))
          ? " with report" : " without report"));
      if (lines.contains(FAIL_AFTER_COMMIT)) {
        throw new IllegalStateException("the echo family's step after the commit failed");
      }
    }

    @Override
    public Map<String, Object> report(Map<String, Object> summary, Map<String, Object> core) {
      return Map.of("echo", summary);
    }

    @Override
    public List<Gate> gates(Map<String, Object> report, Map<String, Object> config) {
      Object answered = ((Map<?, ?>) report.get("echo")).get("answered");
      return List.of(new Gate("echo_answered", "> 0", String.valueOf(answered),
          ((Number) answered).longValue() > 0));
    }
  }

  /** Counts the accepted records (the family's summary). */
  static final class Answered extends Summary<Record<?>, long[]> {
    Answered() {
      super(long[].class);
    }

    @Override
    public long[] createAccumulator() {
      return new long[1];
    }

    @Override
    public long[] addInput(long[] a, Record<?> r) {
      a[0]++;
      return a;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accs) {
      long[] out = new long[1];
      accs.forEach(a -> out[0] += a[0]);
      return out;
    }

    @Override
    public Map<String, Object> extractOutput(long[] a) {
      return Map.of("answered", a[0]);
    }
  }

  /** Every message has text; turns are messages. */
  static final class EchoJudging implements Judging<String> {
    @Override
    public Map<String, Judgement.Criterion> rules(Record<String> r) {
      boolean ok = r.messages().stream().allMatch(m -> m.text() != null && !m.text().isBlank());
      return Map.of("no_empty_text", new Judgement.Criterion(ok, ok ? null : "an empty message"));
    }

    @Override
    public Map<String, String> rubric() {
      return Map.of();
    }

    @Override
    public Map<String, Judgement.Criterion> offlineRubric(Record<String> r, Set<String> names) {
      return Map.of();
    }

    @Override
    public Map<String, String> promptVars(Record<String> r) {
      return Map.of();
    }

    @Override
    public int turns(Record<String> r) {
      return r.messages().size();
    }
  }
}
