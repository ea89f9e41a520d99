package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.family.Summary;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.JsonCoder;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The statistics of the {@code csv_agent} report section, combined in the pipeline from the
 * accepted episodes and the rejected records that carry a question (unverified questions are
 * rejections, so they count too). Every such record becomes a {@link Note}; the notes give two
 * pieces: per record ({@link Traces}: planted mistakes, accepted episodes and their steps), and
 * per question ({@link Questions}: one note kept per question id, then totals by source and
 * dataset, triangulation verdicts by cause, labelled against observed difficulty).
 */
final class CsvAgentSummary {
  private CsvAgentSummary() {}

  /**
   * What the report needs of one record: its id, whether it was accepted, its question's id,
   * source, dataset and labelled difficulty, its SQL steps (and how many failed), whether it
   * is a planted wrong trace, and its question's verdict (null before triangulation): agreement
   * over {@code n}, verified, the cause when not, the observed difficulty.
   */
  record Note(String id, boolean accepted, String question, String source, String dataset,
      String labelled, int steps, int failedSteps, boolean mistake, Integer n, Double agreement,
      Boolean verified, String cause, String observed) {

    static Note of(String id, boolean accepted, CsvItem p) {
      Question q = p.question();
      Verification v = p.verification();
      int steps = p.trace() == null ? 0 : p.trace().size();
      int failed = p.trace() == null ? 0 : (int) p.trace().stream().filter(s -> !s.ok()).count();
      return new Note(id, accepted, q.id(), q.source(), q.dataset().file(),
          q.difficulty().name(), steps, failed, p.mistake() != null,
          v == null ? null : v.n(), v == null ? null : v.agreement(),
          v == null ? null : v.verified(), v == null || v.verified() ? null : CsvAgentSummary.cause(v),
          v == null ? null : v.observedDifficulty().name());
    }

    boolean triangulated() {
      return verified != null;
    }
  }

  /** The two pieces of the summary: per record and per question. */
  static PCollection<Map<String, Object>> of(PCollection<Record<?>> accepted,
      PCollection<Rejected> rejected) {
    PCollection<Note> kept = accepted.apply("NoteAccepted", MapElements
        .into(TypeDescriptor.of(Note.class))
        .via((Record<?> r) -> Note.of(r.id(), true, (CsvItem) r.payload())));
    PCollection<Note> dropped = rejected.apply("NoteRejected", FlatMapElements
        .into(TypeDescriptor.of(Note.class))
        .via((Rejected r) -> {
          JsonNode payload = r.element() == null ? null : r.element().get("payload");
          if (payload == null || !payload.hasNonNull("question")) {
            return List.<Note>of();
          }
          return List.of(Note.of(r.id(), false,
              Json.MAPPER.convertValue(payload, CsvItem.class)));
        }));
    PCollection<Note> notes = PCollectionList.of(kept.setCoder(JsonCoder.of(Note.class)))
        .and(dropped.setCoder(JsonCoder.of(Note.class)))
        .apply("Notes", Flatten.pCollections());
    PCollection<Note> perQuestion = notes
        .apply("ByQuestion", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(Note.class)))
            .via((Note n) -> KV.of(n.question(), n)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), JsonCoder.of(Note.class)))
        .apply("OneNotePerQuestion",
            Combine.perKey((SerializableFunction<Iterable<Note>, Note>) CsvAgentSummary::first))
        .apply("QuestionNotes", Values.create());
    return PCollectionList.of(Summary.globally(notes, new Traces()))
        .and(Summary.globally(perQuestion, new Questions()))
        .apply("CsvAgentSummary", Flatten.pCollections());
  }

  /** The note a question is reported by: a triangulated one, an accepted one, the least id. */
  private static final Comparator<Note> ORDER = Comparator
      .comparing((Note n) -> !n.triangulated())
      .thenComparing(n -> !n.accepted())
      .thenComparing(Note::id);

  static Note first(Iterable<Note> notes) {
    Note first = null;
    for (Note n : notes) {
      first = first == null || ORDER.compare(n, first) < 0 ? n : first;
    }
    return first;
  }

  /** Why a question was not verified. */
  static String cause(Verification v) {
    if (v.majority() == null) {
      return "no_answer";
    }
    if (v.tied()) {
      return "tied";
    }
    return v.groundTruth() != null ? "wrong_majority" : "below_threshold";
  }

  /** Per record: planted wrong traces (and how many were accepted), accepted episodes' steps. */
  static final class Traces extends Summary<Note, Traces.Acc> {
    /** The counts so far. */
    public static final class Acc {
      public long planted;
      public long plantedKept;
      public long accepted;
      public long steps;
      public long failedSteps;
    }

    Traces() {
      super(Acc.class);
    }

    @Override
    public Acc createAccumulator() {
      return new Acc();
    }

    @Override
    public Acc addInput(Acc a, Note n) {
      if (n.mistake()) {
        a.planted++;
        a.plantedKept += n.accepted() ? 1 : 0;
      }
      if (n.accepted()) {
        a.accepted++;
        a.steps += n.steps();
        a.failedSteps += n.failedSteps();
      }
      return a;
    }

    @Override
    public Acc mergeAccumulators(Iterable<Acc> accs) {
      Acc out = new Acc();
      for (Acc a : accs) {
        out.planted += a.planted;
        out.plantedKept += a.plantedKept;
        out.accepted += a.accepted;
        out.steps += a.steps;
        out.failedSteps += a.failedSteps;
      }
      return out;
    }

    @Override
    public Map<String, Object> extractOutput(Acc a) {
      Map<String, Object> mistakes = new LinkedHashMap<>();
      mistakes.put("planted", a.planted);
      mistakes.put("in_accepted", a.plantedKept);
      mistakes.put("kept_out", a.planted - a.plantedKept);
      Map<String, Object> episodes = new LinkedHashMap<>();
      episodes.put("accepted", a.accepted);
      episodes.put("mean_steps", a.accepted == 0 ? 0 : round((double) a.steps / a.accepted));
      episodes.put("failed_step_share",
          a.steps == 0 ? 0 : round((double) a.failedSteps / a.steps));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("mistakes", mistakes);
      out.put("episodes", episodes);
      return out;
    }
  }

  /**
   * Per question (one note each): questions by source and dataset; of the triangulated ones,
   * verified counts and mean agreement overall, by source and by dataset, unverified by cause,
   * the agreement histogram ("k/n"), and labelled against observed difficulty.
   */
  static final class Questions extends Summary<Note, Questions.Acc> {
    /** Triangulated questions of one group: how many, verified, their agreement summed. */
    public static final class Counts {
      public long questions;
      public long verified;
      public double agreement;

      void add(Counts c) {
        questions += c.questions;
        verified += c.verified;
        agreement += c.agreement;
      }

      Map<String, Object> output() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("questions", questions);
        m.put("verified", verified);
        m.put("unverified", questions - verified);
        m.put("verified_share", questions == 0 ? 0 : round((double) verified / questions));
        m.put("mean_agreement", questions == 0 ? 0 : round(agreement / questions));
        return m;
      }
    }

    /** The counts so far (sorted maps, so the output's order is the keys'). */
    public static final class Acc {
      public long total;
      public TreeMap<String, Long> bySource = new TreeMap<>();
      public TreeMap<String, Long> byDataset = new TreeMap<>();
      public Counts triangulated = new Counts();
      public TreeMap<String, Counts> triangulatedBySource = new TreeMap<>();
      public TreeMap<String, Counts> triangulatedByDataset = new TreeMap<>();
      public TreeMap<String, Long> causes = new TreeMap<>();
      public TreeMap<String, Long> histogram = new TreeMap<>();
      public TreeMap<String, TreeMap<String, Long>> difficulty = new TreeMap<>();
    }

    Questions() {
      super(Acc.class);
    }

    @Override
    public Acc createAccumulator() {
      return new Acc();
    }

    @Override
    public Acc addInput(Acc a, Note n) {
      a.total++;
      a.bySource.merge(n.source(), 1L, Long::sum);
      a.byDataset.merge(n.dataset(), 1L, Long::sum);
      if (!n.triangulated()) {
        return a;
      }
      Counts one = new Counts();
      one.questions = 1;
      one.verified = n.verified() ? 1 : 0;
      one.agreement = n.agreement();
      a.triangulated.add(one);
      a.triangulatedBySource.computeIfAbsent(n.source(), k -> new Counts()).add(one);
      a.triangulatedByDataset.computeIfAbsent(n.dataset(), k -> new Counts()).add(one);
      if (n.cause() != null) {
        a.causes.merge(n.cause(), 1L, Long::sum);
      }
      a.histogram.merge(Math.round(n.agreement() * n.n()) + "/" + n.n(), 1L, Long::sum);
      a.difficulty.computeIfAbsent(n.labelled(), k -> new TreeMap<>())
          .merge(n.observed(), 1L, Long::sum);
      return a;
    }

    @Override
    public Acc mergeAccumulators(Iterable<Acc> accs) {
      Acc out = new Acc();
      for (Acc a : accs) {
        out.total += a.total;
        addCounts(out.bySource, a.bySource);
        addCounts(out.byDataset, a.byDataset);
        out.triangulated.add(a.triangulated);
        a.triangulatedBySource.forEach(
            (k, v) -> out.triangulatedBySource.computeIfAbsent(k, x -> new Counts()).add(v));
        a.triangulatedByDataset.forEach(
            (k, v) -> out.triangulatedByDataset.computeIfAbsent(k, x -> new Counts()).add(v));
        addCounts(out.causes, a.causes);
        addCounts(out.histogram, a.histogram);
        addCounts(out.difficulty, a.difficulty, TreeMap::new);
      }
      return out;
    }

    @Override
    public Map<String, Object> extractOutput(Acc a) {
      Map<String, Object> questions = new LinkedHashMap<>();
      questions.put("total", a.total);
      questions.put("by_source", a.bySource);
      questions.put("by_dataset", a.byDataset);
      Map<String, Object> triangulation = a.triangulated.output();
      triangulation.put("unverified_by_cause", a.causes);
      triangulation.put("agreement_histogram", a.histogram);
      Map<String, Object> bySource = new TreeMap<>();
      a.triangulatedBySource.forEach((k, v) -> bySource.put(k, v.output()));
      Map<String, Object> byDataset = new TreeMap<>();
      a.triangulatedByDataset.forEach((k, v) -> byDataset.put(k, v.output()));
      triangulation.put("by_source", bySource);
      triangulation.put("by_dataset", byDataset);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("questions", questions);
      out.put("triangulation", triangulation);
      out.put("difficulty", Map.of("labelled_vs_observed", a.difficulty));
      return out;
    }
  }

  static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }
}
