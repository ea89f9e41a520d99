package io.convoforge.family.groundedqa;

import io.convoforge.core.family.Gate;
import io.convoforge.core.family.Summary;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.run.Gates;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The grounded Q&A family's summary, report section and gates. Summary (combined inside the
 * pipeline over the accepted dialogues): dialogues mentioning a date later than {@code as_of},
 * and dialogues whose evidence is not a verbatim span of its chunk of this run's document.
 * Report {@code grounded_qa}: the facts document, {@code as_of}, chunks, pairs extracted and
 * passed, validation failures by reason and the validation pass rate (from the funnel), and the
 * summary's counts. Gates (recipe {@code gates:}, defaults in brackets): every judge
 * criterion's pass rate at least {@code min_criterion_pass_rate} [0]; {@code future_dates} and
 * {@code evidence_verbatim} at 0. (Near-duplicates are the core gate {@code
 * max_near_duplicates}.)
 */
final class GroundedQaChecks extends Summary<Record<?>, GroundedQaChecks.Acc> {
  private final Map<String, String> chunkTexts;
  private final LocalDate asOf;

  GroundedQaChecks(List<Chunk> chunks, LocalDate asOf) {
    super(Acc.class);
    this.chunkTexts = new TreeMap<>();
    chunks.forEach(c -> chunkTexts.put(c.id(), Text.squash(c.text())));
    this.asOf = asOf;
  }

  /** The accumulator: plain fields, coded as JSON. */
  public static final class Acc {
    public long futureDates;
    public long notVerbatim;
    public String firstFuture;
    public String firstNotVerbatim;
  }

  @Override
  public Acc createAccumulator() {
    return new Acc();
  }

  @Override
  @SuppressWarnings("unchecked")
  public Acc addInput(Acc a, Record<?> any) {
    Record<GroundedQa> r = (Record<GroundedQa>) any;
    for (Message m : r.messages()) {
      if (m.text() != null && !DateMentions.laterThan(m.text(), asOf).isEmpty()) {
        a.futureDates++;
        a.firstFuture = first(a.firstFuture, r.id());
        break;
      }
    }
    QaPair pair = r.payload().pair();
    String chunk = chunkTexts.get(pair.chunkId());
    if (chunk == null || !chunk.contains(Text.squash(pair.evidence()))) {
      a.notVerbatim++;
      a.firstNotVerbatim = first(a.firstNotVerbatim, r.id());
    }
    return a;
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    Acc out = new Acc();
    for (Acc a : accs) {
      out.futureDates += a.futureDates;
      out.notVerbatim += a.notVerbatim;
      out.firstFuture = first(out.firstFuture, a.firstFuture);
      out.firstNotVerbatim = first(out.firstNotVerbatim, a.firstNotVerbatim);
    }
    return out;
  }

  /** The smaller id (so the example named does not depend on the bundling). */
  private static String first(String a, String b) {
    return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public Map<String, Object> extractOutput(Acc a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("future_date_dialogues", a.futureDates);
    m.put("first_future_date", a.firstFuture);
    m.put("evidence_not_verbatim", a.notVerbatim);
    m.put("first_not_verbatim", a.firstNotVerbatim);
    return m;
  }


  @SuppressWarnings("unchecked")
  static Map<String, Object> report(Map<String, Object> summary, Map<String, Object> core,
      String facts, LocalDate asOf, int chunks) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("facts", facts);
    m.put("as_of", asOf.toString());
    m.put("chunks", chunks);
    for (Object e : (List<Object>) core.getOrDefault("funnel", List.of())) {
      Map<String, Object> entry = (Map<String, Object>) e;
      if ("extract_qa".equals(entry.get("stage"))) {
        m.put("pairs_extracted", entry.get("out"));
      }
      if ("validate_qa".equals(entry.get("stage"))) {
        long in = ((Number) entry.get("in")).longValue();
        long out = ((Number) entry.get("out")).longValue();
        m.put("pairs_passed", out);
        m.put("validation_failures", entry.get("rejected"));
        m.put("validation_pass_rate", in == 0 ? 0 : Math.round(10000.0 * out / in) / 10000.0);
      }
    }
    m.putAll(summary);
    return Map.of("grounded_qa", m);
  }

  @SuppressWarnings("unchecked")
  static List<Gate> gates(Map<String, Object> report, Map<String, Object> cfg, LocalDate asOf) {
    List<Gate> gates = new ArrayList<>();
    double min = Gates.number(cfg.get("min_criterion_pass_rate"), 0.0);
    Map<String, Object> criteria = (Map<String, Object>) ((Map<String, Object>)
        report.getOrDefault("judge", Map.of())).getOrDefault("criteria", Map.of());
    String worst = "-";
    double worstRate = 1.0;
    for (Map.Entry<String, Object> c : new TreeMap<>(criteria).entrySet()) {
      double rate = ((Number) ((Map<String, Object>) c.getValue()).get("pass_rate"))
          .doubleValue();
      if (rate < worstRate) {
        worstRate = rate;
        worst = c.getKey();
      }
    }
    gates.add(new Gate("criterion_pass_rate", "each >= " + Gates.pct(min),
        criteria.isEmpty() ? "no criteria judged" : "lowest " + worst + " " + Gates.pct(worstRate),
        worstRate >= min - 1e-9));
    Map<String, Object> s = (Map<String, Object>) report.getOrDefault("grounded_qa", Map.of());
    long future = ((Number) s.getOrDefault("future_date_dialogues", 0)).longValue();
    long notVerbatim = ((Number) s.getOrDefault("evidence_not_verbatim", 0)).longValue();
    gates.add(new Gate("future_dates", "0 dialogues after as_of " + asOf, future + " dialogues"
        + (future == 0 ? "" : " (first " + s.get("first_future_date") + ")"), future == 0));
    gates.add(new Gate("evidence_verbatim", "0 not in their chunk", notVerbatim + " not"
        + (notVerbatim == 0 ? "" : " (first " + s.get("first_not_verbatim") + ")"),
        notVerbatim == 0));
    return gates;
  }
}
