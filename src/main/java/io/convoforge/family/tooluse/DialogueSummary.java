package io.convoforge.family.tooluse;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.family.Summary;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import io.convoforge.core.run.Gates;
import io.convoforge.core.util.Seeds;
import io.convoforge.family.tooluse.model.ToolUse;
import io.convoforge.family.tooluse.verify.DialogueMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The tool-use family's {@link DialogueMetrics}, combined inside the pipeline in two summary
 * parts: {@value #COUNTS} (the counts and the bigram sample, a bounded accumulation that
 * {@link ToolUseSummary} keeps in its one pass over each conversation) and {@value #LINES} (each role's most repeated line: lines grouped into buckets by their hash,
 * counted per bucket, the buckets' best merged, so no worker holds every line of the
 * dataset). {@link #section} joins them into the report's {@code dialogue} section.
 */
final class DialogueSummary
    extends PTransform<PCollection<Record<?>>, PCollection<Map<String, Object>>> {
  static final String COUNTS = "dialogue_counts";
  static final String LINES = "dialogue_lines";
  /** Buckets the repeated lines are counted in. */
  static final int BUCKETS = 64;

  @Override
  @SuppressWarnings("unchecked")
  public PCollection<Map<String, Object>> expand(PCollection<Record<?>> accepted) {
    PCollection<KV<KV<String, String>, Long>> bucketBest = accepted
        .apply("DialogueLines", FlatMapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.integers(),
                TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings())))
            .via((Record<?> r) -> DialogueMetrics.lines(ToolUseCodec.view((Record<ToolUse>) r))
                .stream().map(l -> KV.of(bucket(l), l)).toList()))
        .apply("GroupDialogueLines", GroupByKey.create())
        .apply("MostRepeatedPerBucket", FlatMapElements
            .into(TypeDescriptors.kvs(
                TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()),
                TypeDescriptors.longs()))
            .via((KV<Integer, Iterable<KV<String, String>>> b) ->
                DialogueMetrics.mostRepeated(b.getValue()).entrySet().stream()
                    .map(e -> KV.of(KV.of(e.getKey(), e.getValue().getKey()),
                        e.getValue().getValue()))
                    .toList()));
    return Summary.globally(bucketBest, new MostRepeated());
  }

  /**
   * The bucket a line is counted in: every occurrence of one line meets in one bucket, whose
   * lines one worker counts in memory (a bucket is 1/{@value #BUCKETS} of the dataset's lines).
   */
  private static int bucket(KV<String, String> line) {
    return (int) Math.floorMod(Seeds.hash(line.getKey() + '\n' + line.getValue()), BUCKETS);
  }

  /** The report's {@code dialogue} section from the two parts (either may be absent). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> section(Object counts, Object lines) {
    DialogueMetrics.Acc acc = counts == null ? new DialogueMetrics.Acc()
        : Json.MAPPER.convertValue(counts, DialogueMetrics.Acc.class);
    Map<String, KV<String, Long>> most = new TreeMap<>();
    if (lines instanceof Map<?, ?> m) {
      ((Map<String, Map<String, Object>>) m).forEach((role, l) -> most.put(role,
          KV.of((String) l.get("text"), ((Number) l.get("conversations")).longValue())));
    }
    return DialogueMetrics.section(acc, most);
  }

  /** The lines {@code stats} and a run's summary print for the report's dialogue section. */
  static List<String> lines(JsonNode report) {
    JsonNode d = report.path(ToolUseRun.DIALOGUE);
    if (d.isMissingNode()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    out.add(String.format(Locale.ROOT, "dialogue: filler %s of %d middle turns (%d adjacent"
        + " pairs), %.2f tool calls per conversation, %s of them reads",
        Gates.pct(d.path("filler_share").asDouble()), d.path("middle_turns").asLong(),
        d.path("adjacent_filler_pairs").asLong(), d.path("tool_calls").path("mean").asDouble(),
        Gates.pct(d.path("read_call_share").asDouble())));
    for (String role : DialogueMetrics.ROLES) {
      JsonNode l = d.path("most_repeated_" + role + "_line");
      out.add(String.format(Locale.ROOT, "  most repeated %s line: %s of conversations \"%s\"",
          role, Gates.pct(l.path("share").asDouble()), l.path("text").asText()));
    }
    JsonNode b = d.path("distinct_bigrams_at_200");
    out.add(String.format(Locale.ROOT, "  distinct bigrams %.3f (%d of %d, %d conversations);"
        + " failure causes %s", b.path("ratio").asDouble(), b.path("distinct").asLong(),
        b.path("bigrams").asLong(), b.path("conversations").asLong(),
        d.path("failure_causes")));
    return out;
  }

  /** Each role's line in the most conversations. */
  static final class MostRepeated
      extends Summary<KV<KV<String, String>, Long>, MostRepeated.Acc> {
    MostRepeated() {
      super(Acc.class);
    }

    /** Role to its best line so far ({@code text}, {@code conversations}). */
    public static final class Acc {
      public Map<String, Line> best = new TreeMap<>();
    }

    /** A line and the conversations it is in. */
    public record Line(String text, long conversations) {
      KV<String, Long> kv() {
        return KV.of(text, conversations);
      }
    }

    @Override
    public Acc createAccumulator() {
      return new Acc();
    }

    @Override
    public Acc addInput(Acc a, KV<KV<String, String>, Long> count) {
      put(a, count.getKey().getKey(), new Line(count.getKey().getValue(), count.getValue()));
      return a;
    }

    private static void put(Acc a, String role, Line l) {
      a.best.merge(role, l, (x, y) -> {
        KV<String, Long> m = DialogueMetrics.mostRepeated(x.kv(), y.kv());
        return new Line(m.getKey(), m.getValue());
      });
    }

    @Override
    public Acc mergeAccumulators(Iterable<Acc> accs) {
      Acc out = new Acc();
      accs.forEach(a -> a.best.forEach((role, l) -> put(out, role, l)));
      return out;
    }

    @Override
    public Map<String, Object> extractOutput(Acc a) {
      Map<String, Object> m = new LinkedHashMap<>();
      a.best.forEach((role, l) -> m.put(role, l));
      return Map.of(LINES, Json.MAPPER.convertValue(m, Map.class));
    }
  }
}
