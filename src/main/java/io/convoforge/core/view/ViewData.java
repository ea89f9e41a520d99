package io.convoforge.core.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convoforge.core.family.ExportProfile;
import io.convoforge.core.family.RecipeFamily;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.run.DatasetDir;
import io.convoforge.core.run.Inputs;
import io.convoforge.core.stages.Judging;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the report page shows, from a dataset directory: the run header, funnel, gates, judge
 * criteria, slices and LLM accounting of its report.json (computed by the run over every
 * record), plus what only the records hold, computed here in one streaming pass over all of
 * them: the turns per conversation (in the family's turns when the dataset's recipe loads, else
 * user messages), the near-duplicate similarities of the dedup stage's rejections, rejections
 * by reason; and a bounded sample for the browser ({@link Sample}: the accepted records with
 * the smallest id hashes, and as many of each rejection reason). Nothing is held but the
 * sample and the counts, so a dataset of any size fits.
 */
public final class ViewData {
  /** "near-duplicate of X (cosine 0.9772)": the measure and the similarity. */
  private static final Pattern SIMILARITY = Pattern.compile("\\((cosine|jaccard) ([0-9.]+)\\)");

  /** Sample sizes: accepted records in all, rejected records per reason. */
  public record Options(int accepted, int rejectedPerReason) {
    public static final Options DEFAULT = new Options(1000, 100);
  }

  private ViewData() {}

  /** The page's data, as a JSON-serialisable map. */
  public static Map<String, Object> of(Path dir, Options o) {
    DatasetDir.conversationFiles(dir);
    JsonNode report = DatasetDir.report(dir);
    if (report == null) {
      report = Json.MAPPER.createObjectNode();
    }
    RecipeFamily family = DatasetDir.family(dir);
    String[] turnsLabel = new String[1];
    ToIntFunction<Record<?>> turns = turns(dir, turnsLabel);
    Sample accepted = new Sample(o.accepted());
    Map<Integer, Long> turnCounts = new TreeMap<>();
    Map<String, Map<String, Long>> sliceAccepted = new TreeMap<>();
    DatasetDir.Records records = DatasetDir.records(dir, family.codec());
    long acceptedTotal = 0;
    for (Record<?> r : records) {
      acceptedTotal++;
      turnCounts.merge(turns.applyAsInt(r), 1L, Long::sum);
      r.slice().forEach((k, v) -> sliceAccepted.computeIfAbsent(k, x -> new TreeMap<>())
          .merge(v, 1L, Long::sum));
      accepted.offer(r.id(), () -> compact(r));
    }
    Map<String, Sample> rejectedByReason = new TreeMap<>();
    Map<String, Long> reasons = new TreeMap<>();
    Map<String, Map<String, Long>> similarity = new TreeMap<>();
    long rejectedTotal = 0;
    for (Rejected r : DatasetDir.rejected(dir)) {
      rejectedTotal++;
      reasons.merge(r.reason(), 1L, Long::sum);
      Matcher m = r.detail() == null ? null : SIMILARITY.matcher(r.detail());
      if (m != null && m.find()) {
        String bin = String.format(java.util.Locale.ROOT, "%.2f",
            Math.floor(Double.parseDouble(m.group(2)) * 100) / 100);
        similarity.computeIfAbsent(m.group(1), x -> new TreeMap<>()).merge(bin, 1L, Long::sum);
      }
      rejectedByReason.computeIfAbsent(r.reason(), x -> new Sample(o.rejectedPerReason()))
          .offer(r.id(), () -> compact(r));
    }
    List<Object> sample = new ArrayList<>(accepted.sorted());
    long rejectedShown = 0;
    for (Sample s : rejectedByReason.values()) {
      sample.addAll(s.sorted());
      rejectedShown += s.size();
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("report", report);
    d.put("turns", Map.of("label", turnsLabel[0], "counts", turnCounts));
    d.put("accepted_by_slice", sliceAccepted);
    d.put("rejected_by_reason", reasons);
    d.put("similarity", similarity);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("accepted_total", acceptedTotal);
    s.put("accepted_shown", accepted.size());
    s.put("rejected_total", rejectedTotal);
    s.put("rejected_shown", rejectedShown);
    s.put("rejected_per_reason", o.rejectedPerReason());
    s.put("unreadable_lines", records.invalid());
    s.put("dir", dir.toAbsolutePath().normalize().toString());
    d.put("sample", s);
    d.put("records", sample);
    return d;
  }

  /**
   * How to count a record's turns: the family's own count when the dataset's recipe loads
   * (what {@code turns.min/max} and the report's turn statistics use), else its user messages.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static ToIntFunction<Record<?>> turns(Path dir, String[] label) {
    try {
      Inputs in = DatasetDir.inputs(dir, null, List.of());
      Judging judging = in.run().judging(in.context());
      label[0] = "turns (as " + in.recipe().kind() + " counts them)";
      return r -> judging.turns((Record) r);
    } catch (RuntimeException e) {
      label[0] = "user messages (the dataset's recipe was not found)";
      return r -> (int) r.messages().stream()
          .filter(m -> ExportProfile.USER.equals(ExportProfile.DEFAULT.role(m.role()))).count();
    }
  }

  /** An accepted record as the browser shows it. */
  static ObjectNode compact(Record<?> r) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", r.id());
    o.put("status", "accepted");
    o.set("slice", Json.tree(r.slice()));
    o.set("messages", Json.tree(r.messages()));
    if (r.judgement() != null) {
      o.set("judgement", Json.tree(r.judgement()));
    }
    o.set("lineage", Json.tree(r.lineage()));
    return o;
  }

  /** A rejected record as the browser shows it: its envelope's parts and why it was dropped. */
  static ObjectNode compact(Rejected r) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", r.id());
    o.put("status", "rejected");
    o.put("stage", r.stage());
    o.put("reason", r.reason());
    o.put("detail", r.detail());
    if (r.rawResponse() != null) {
      o.put("raw_response", r.rawResponse().length() > 4000
          ? r.rawResponse().substring(0, 4000) + " …" : r.rawResponse());
    }
    o.set("slice", Json.tree(r.slice()));
    JsonNode e = r.element();
    if (e != null) {
      if (e.has("messages")) {
        o.set("messages", e.get("messages"));
      }
      if (e.hasNonNull("judgement")) {
        o.set("judgement", e.get("judgement"));
      }
      if (e.has("lineage")) {
        o.set("lineage", e.get("lineage"));
      }
    }
    return o;
  }
}
