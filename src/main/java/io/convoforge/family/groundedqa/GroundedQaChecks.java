package io.convoforge.family.groundedqa;

import io.convoforge.core.family.Gate;
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
 * The grounded Q&A family's report section and gates. Report {@code grounded_qa}: the facts
 * document, {@code as_of}, chunks, pairs extracted and passed, validation failures by reason and
 * the validation pass rate (from the funnel). Gates (recipe {@code gates:}, defaults in
 * brackets): every judge criterion's pass rate at least {@code min_criterion_pass_rate} [0];
 * {@code future_dates}: no accepted dialogue mentions a date later than {@code as_of}; {@code
 * evidence_verbatim}: every accepted dialogue's evidence is a verbatim span of its chunk of this
 * run's document. (Near-duplicates are the core gate {@code max_near_duplicates}.)
 */
final class GroundedQaChecks {
  private GroundedQaChecks() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> report(Map<String, Object> core, String facts, LocalDate asOf,
      int chunks) {
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
    return Map.of("grounded_qa", m);
  }

  @SuppressWarnings("unchecked")
  static List<Gate> gates(Iterable<Record<?>> accepted, Map<String, Object> report,
      Map<String, Object> cfg, Map<String, Chunk> chunks, LocalDate asOf) {
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
    long future = 0;
    long notVerbatim = 0;
    String firstFuture = null;
    String firstNotVerbatim = null;
    for (Record<?> any : accepted) {
      @SuppressWarnings("unchecked")
      Record<GroundedQa> r = (Record<GroundedQa>) any;
      for (Message m : r.messages()) {
        if (m.text() != null && !DateMentions.laterThan(m.text(), asOf).isEmpty()) {
          future++;
          firstFuture = firstFuture == null ? r.id() : firstFuture;
          break;
        }
      }
      QaPair pair = r.payload().pair();
      Chunk chunk = chunks.get(pair.chunkId());
      if (chunk == null || !Text.squash(chunk.text()).contains(Text.squash(pair.evidence()))) {
        notVerbatim++;
        firstNotVerbatim = firstNotVerbatim == null ? r.id() : firstNotVerbatim;
      }
    }
    gates.add(new Gate("future_dates", "0 dialogues after as_of " + asOf, future + " dialogues"
        + (firstFuture == null ? "" : " (first " + firstFuture + ")"), future == 0));
    gates.add(new Gate("evidence_verbatim", "0 not in their chunk", notVerbatim + " not"
        + (firstNotVerbatim == null ? "" : " (first " + firstNotVerbatim + ")"),
        notVerbatim == 0));
    return gates;
  }
}
