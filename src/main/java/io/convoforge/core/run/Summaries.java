package io.convoforge.core.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.convoforge.core.family.FamilyRun;
import io.convoforge.core.family.RunContext;
import io.convoforge.core.family.Summary;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.JsonCoder;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCodec;
import io.convoforge.core.model.RecordCoder;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.stages.Deduplicate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The report's statistics, computed inside the pipeline by combiners over the accepted records
 * ({@link AcceptedStats}, the family's {@link FamilyRun#summary}), the rejections ({@link
 * RejectedStats}) and, when the recipe's gates ask, the near-duplicate pairs ({@link
 * NearDuplicatePairs}); written as one small file {@code _summary*.tsv} (a part name and its
 * JSON a line) that the launcher assembles into report.json with the funnel. Also a pipeline of
 * its own over an existing dataset's files, for {@code gates DIR} and the rounds of {@code run
 * --accepted}.
 */
public final class Summaries {
  public static final String PREFIX = "_summary";
  static final String ACCEPTED = "accepted";
  static final String REJECTED = "rejected";
  static final String FAMILY = "family";
  static final String NEAR_DUPLICATES = "near_duplicate_pairs";
  static final String INVALID = "invalid_lines";

  private Summaries() {}

  /** Applies the combiners to a run's outputs and writes their parts into {@code dir}. */
  @SuppressWarnings("unchecked")
  public static void write(PCollection<? extends Record<?>> accepted,
      PCollection<Rejected> rejected, FamilyRun run, RunContext ctx, String dir,
      PCollection<Long> invalid) {
    PCollection<Record<?>> records = (PCollection<Record<?>>) accepted;
    PCollectionList<String> parts = PCollectionList
        .of(part(Summary.globally(records, new AcceptedStats(run.judging(ctx))), ACCEPTED))
        .and(part(Summary.globally(rejected, new RejectedStats()), REJECTED))
        .and(part(run.summarize(records, rejected, ctx), FAMILY));
    Map<String, Object> gates = run.recipe().section("gates");
    if (gates.get("max_near_duplicates") != null) {
      Deduplicate.Settings s = Deduplicate.Settings.from(run.recipe().section("dedup"),
          run.recipe().section("embed"), run.recipe().seed());
      Long expected = run.expectedCount();
      parts = parts.and(part(records.apply(new NearDuplicatePairs(s,
          expected == null ? 0 : expected)), NEAR_DUPLICATES));
    }
    if (invalid != null) {
      parts = parts.and(part(invalid, INVALID));
    }
    parts.apply("CollectSummary", Flatten.pCollections())
        .apply("WriteSummary",
            TextIO.write().to(dir + "/" + PREFIX).withSuffix(".tsv").withNumShards(1));
  }

  private static <T> PCollection<String> part(PCollection<T> value, String name) {
    return value.apply("Part" + name, MapElements.into(TypeDescriptors.strings())
        .via((T v) -> name + "\t" + Json.write(v)));
  }

  /**
   * The parts a run wrote into {@code dir}: name to its JSON value; the pieces of a part that
   * has several (a family's summary may) merged key by key.
   */
  public static Map<String, Object> read(Path dir) {
    return read(dir.toString());
  }

  /** The same for a directory on any Beam file system ({@link Locations}). */
  public static Map<String, Object> read(String dir) {
    Map<String, Object> parts = new LinkedHashMap<>();
    for (ResourceId f : Locations.match(Locations.resolve(dir, PREFIX + "*.tsv"))) {
      Locations.lines(f, line -> {
        int tab = line.indexOf('\t');
        try {
          // Whole numbers as longs, as the report's counts are everywhere else.
          Object value = Json.MAPPER.readerFor(Object.class)
              .with(DeserializationFeature.USE_LONG_FOR_INTS).readValue(line.substring(tab + 1));
          parts.merge(line.substring(0, tab), value, Summaries::merge);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return parts;
  }

  @SuppressWarnings("unchecked")
  private static Object merge(Object a, Object b) {
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) x);
      m.putAll((Map<String, Object>) y);
      return m;
    }
    throw new IllegalStateException("two values of one summary part that are not maps: " + a
        + ", " + b);
  }

  /**
   * A pipeline that summarizes an existing dataset in {@code dir} (its accepted and rejected
   * records, lines that are not records of the family's format counted as invalid) into {@code
   * to}.
   */
  public static Pipeline over(Path dir, Inputs in, PipelineOptions options, Path to) {
    Pipeline p = Pipeline.create(options);
    RecordCodec codec = in.family().codec();
    PCollectionTuple parsed = p
        .apply("ReadAccepted", TextIO.read().from(dir.toAbsolutePath() + "/"
            + DatasetDir.ACCEPTED).withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply("ParseAccepted", ParDo.of(new ParseFn(codec))
            .withOutputTags(ParseFn.RECORDS, TupleTagList.of(ParseFn.INVALID)));
    @SuppressWarnings({"unchecked", "rawtypes"})
    PCollection<Record<?>> records = parsed.get(ParseFn.RECORDS).setCoder((RecordCoder) codec.coder());
    PCollection<Long> invalid = parsed.get(ParseFn.INVALID).setCoder(StringUtf8Coder.of())
        .apply("CountInvalid", Count.globally());
    PCollection<Rejected> rejected = p
        .apply("ReadRejected", TextIO.read().from(dir.toAbsolutePath() + "/"
            + DatasetDir.REJECTED).withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply("ParseRejected", MapElements.into(TypeDescriptor.of(Rejected.class))
            .via((String l) -> Json.read(l, Rejected.class)))
        .setCoder(JsonCoder.of(Rejected.class));
    write(records, rejected, in.run(), in.context(), to.toString(), invalid);
    return p;
  }

  /** A line to its record through the family's codec; a line that is none, to INVALID. */
  static final class ParseFn extends DoFn<String, Record<?>> {
    static final TupleTag<Record<?>> RECORDS = new TupleTag<>("records");
    static final TupleTag<String> INVALID = new TupleTag<>("invalid");
    private final RecordCodec codec;

    ParseFn(RecordCodec codec) {
      this.codec = codec;
    }

    @ProcessElement
    public void process(@Element String line, MultiOutputReceiver out) {
      if (line.isBlank()) {
        return;
      }
      try {
        out.get(RECORDS).output(codec.parse(Json.parse(line)));
      } catch (RuntimeException e) {
        out.get(INVALID).output(line);
      }
    }
  }
}
