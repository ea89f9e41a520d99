package io.convoforge.core.run;

import io.convoforge.core.family.Summary;
import io.convoforge.core.model.Judgement;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.stages.Judging;
import io.convoforge.core.util.Seeds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The report's statistics over the accepted records, combined inside the pipeline: the count,
 * the {@link IdsDigest} of their ids, accepted per slice key and value, the length distribution
 * (in the family's turns), the mean judge score, each criterion's passes, and the text's distinct-bigram ratio over a bottom-k
 * sample by id hash ({@value #BIGRAM_SAMPLE} records at most, the same whatever the bundling).
 */
final class AcceptedStats extends Summary<Record<?>, AcceptedStats.Acc> {
  static final int BIGRAM_SAMPLE = 5000;
  private final Judging<?> judging;

  AcceptedStats(Judging<?> judging) {
    super(Acc.class);
    this.judging = judging;
  }

  /** The accumulator: plain fields, coded as JSON. */
  public static final class Acc {
    public long accepted;
    /** The ids' {@link IdsDigest}, as a sum. */
    public long ids;
    public double scoreSum;
    public Map<Integer, Long> turns = new TreeMap<>();
    public Map<String, Map<String, Long>> slices = new TreeMap<>();
    public Map<String, long[]> criteria = new TreeMap<>();
    /** Id hash to the record's bigrams, the smallest hashes kept. */
    public TreeMap<Long, List<String>> sample = new TreeMap<>();
  }

  @Override
  public Acc createAccumulator() {
    return new Acc();
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Acc addInput(Acc a, Record<?> r) {
    a.accepted++;
    a.ids = IdsDigest.add(a.ids, r.id());
    a.turns.merge(((Judging) judging).turns(r), 1L, Long::sum);
    r.slice().forEach((k, v) -> a.slices.computeIfAbsent(k, x -> new TreeMap<>())
        .merge(v, 1L, Long::sum));
    if (r.judgement() != null) {
      a.scoreSum += r.judgement().score();
      count(a.criteria, r.judgement());
    }
    long h = Seeds.hash(r.id());
    if (a.sample.size() < BIGRAM_SAMPLE || h < a.sample.lastKey()) {
      a.sample.put(h, bigrams(r));
      if (a.sample.size() > BIGRAM_SAMPLE) {
        a.sample.pollLastEntry();
      }
    }
    return a;
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    Acc out = new Acc();
    for (Acc a : accs) {
      out.accepted += a.accepted;
      out.ids += a.ids;
      out.scoreSum += a.scoreSum;
      addCounts(out.turns, a.turns);
      addCounts(out.slices, a.slices, TreeMap::new);
      AcceptedStats.addCriteria(out.criteria, a.criteria);
      out.sample.putAll(a.sample);
      while (out.sample.size() > BIGRAM_SAMPLE) {
        out.sample.pollLastEntry();
      }
    }
    return out;
  }

  /** Adds {@code from}'s passes and judgements per criterion into {@code into}. */
  static void addCriteria(Map<String, long[]> into, Map<String, long[]> from) {
    from.forEach((k, c) -> {
      long[] o = into.computeIfAbsent(k, x -> new long[2]);
      o[0] += c[0];
      o[1] += c[1];
    });
  }

  @Override
  public Map<String, Object> extractOutput(Acc a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accepted", a.accepted);
    m.put("ids_digest", IdsDigest.hex(a.ids));
    m.put("score_sum", a.scoreSum);
    m.put("turns", a.turns);
    m.put("slices", a.slices);
    m.put("criteria", a.criteria);
    Set<String> distinct = new HashSet<>();
    long all = 0;
    for (List<String> b : a.sample.values()) {
      all += b.size();
      distinct.addAll(b);
    }
    Map<String, Object> text = new LinkedHashMap<>();
    text.put("distinct_bigram_ratio", all == 0 ? 0 : RunReport.round((double) distinct.size()
        / all));
    text.put("distinct_bigrams", distinct.size());
    text.put("bigrams", all);
    text.put("conversations_measured", a.sample.size());
    m.put("text", text);
    return m;
  }


  /** Adds a judgement's criteria to passes (passed, judged) per criterion. */
  static void count(Map<String, long[]> criteria, Judgement j) {
    if (j.criteria() == null) {
      return;
    }
    j.criteria().forEach((k, c) -> {
      long[] p = criteria.computeIfAbsent(k, x -> new long[2]);
      p[1]++;
      if (c.passed()) {
        p[0]++;
      }
    });
  }

  /** The word bigrams of a record's dialogue text (tool and system messages left out). */
  static List<String> bigrams(Record<?> r) {
    List<String> out = new ArrayList<>();
    for (Message m : r.messages()) {
      if (Message.TOOL.equals(m.role()) || Message.SYSTEM.equals(m.role()) || m.text() == null) {
        continue;
      }
      String[] w = m.text().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+");
      for (int i = 0; i + 1 < w.length; i++) {
        if (!w[i].isEmpty() && !w[i + 1].isEmpty()) {
          out.add(w[i] + ' ' + w[i + 1]);
        }
      }
    }
    return out;
  }
}
