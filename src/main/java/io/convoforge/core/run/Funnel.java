package io.convoforge.core.run;

import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The run's funnel, counted inside the pipeline from the data itself (not from metrics, which a
 * runner may lose or double on retries): per stage, in order, the records it output, its
 * rejections by reason, and what it created (fan-out); plus the source's output by slice. A
 * stage's {@code in} is the previous stage's {@code out}; for every stage {@code in + created =
 * out + rejected} must hold, and the last stage's {@code out} is the accepted count. Counts are
 * keyed lines ({@code <index>\t<stage>\t<what>...}) summed into {@code _funnel*.tsv}.
 */
public final class Funnel {
  /** The file prefix of the funnel counts in a run's output directory. */
  public static final String PREFIX = "_funnel";
  static final String OUT = "out";
  static final String REJECTED = "rejected";
  static final String CREATED = "created";
  static final String SLICE = "slice";
  /** The metric counting what each counting step saw, for live progress ({@link Progress}). */
  static final String ELEMENTS = "elements";

  private Funnel() {}

  /** One stage's entry: what came in, was created, went out and was rejected (by reason). */
  public record Entry(String stage, long in, long created, long out, Map<String, Long> rejected) {
    public long rejectedTotal() {
      return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code in + created = out + rejected}. */
    public boolean holds() {
      return in + created == out + rejectedTotal();
    }

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("stage", stage);
      m.put("in", in);
      m.put("created", created);
      m.put("out", out);
      m.put("rejected_total", rejectedTotal());
      m.put("rejected", rejected);
      m.put("holds", holds());
      return m;
    }
  }

  /** Counts of a stage's output records (and, for the source, of their slices). */
  static PCollection<KV<String, Long>> outputs(PCollection<? extends Record<?>> records,
      int index, String stage, boolean slices) {
    String prefix = index + "\t" + stage + "\t";
    return count(records, "Count" + index + "Out", (Record<?> r, BiConsumer<String, Long> add) -> {
      add.accept(prefix + OUT, 1L);
      if (slices) {
        r.slice().forEach((k, v) -> add.accept(prefix + SLICE + "\t" + k + "\t" + v, 1L));
      }
    });
  }

  /** Counts of a stage's rejections by reason. */
  static PCollection<KV<String, Long>> rejections(PCollection<Rejected> failures, int index,
      String stage) {
    String prefix = index + "\t" + stage + "\t" + REJECTED + "\t";
    return count(failures, "Count" + index + "Rejected",
        (Rejected r, BiConsumer<String, Long> add) -> add.accept(prefix + r.reason(), 1L));
  }

  /** The sum of what a fan-out stage created. */
  static PCollection<KV<String, Long>> created(PCollection<Long> created, int index,
      String stage) {
    String key = index + "\t" + stage + "\t" + CREATED;
    return count(created, "Count" + index + "Created",
        (Long n, BiConsumer<String, Long> add) -> add.accept(key, n));
  }

  /** What an element adds to which counts. */
  interface Keys<T> extends Serializable {
    void of(T element, BiConsumer<String, Long> add);
  }

  @SuppressWarnings("unchecked")
  private static <T> PCollection<KV<String, Long>> count(PCollection<? extends T> input,
      String name, Keys<T> keys) {
    return ((PCollection<T>) input).apply(name, ParDo.of(new CountFn<>(keys)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
  }

  /** Sums counts per key within a bundle and emits them at its end (few shuffled elements). */
  static final class CountFn<T> extends DoFn<T, KV<String, Long>> {
    private final Keys<T> keys;
    private final org.apache.beam.sdk.metrics.Counter elements =
        org.apache.beam.sdk.metrics.Metrics.counter(Funnel.class, ELEMENTS);
    private transient Map<String, Long> counts;

    CountFn(Keys<T> keys) {
      this.keys = keys;
    }

    @StartBundle
    public void start() {
      counts = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element T e) {
      keys.of(e, (k, n) -> {
        counts.merge(k, n, Long::sum);
        // Metrics are for watching a run; the funnel itself is counted from the data.
        if (!k.contains("\t" + SLICE + "\t")) {
          elements.inc(n);
        }
      });
    }

    @FinishBundle
    public void finish(FinishBundleContext ctx) {
      counts.forEach((k, n) -> ctx.output(KV.of(k, n), GlobalWindow.INSTANCE.maxTimestamp(),
          GlobalWindow.INSTANCE));
      counts = new HashMap<>();
    }
  }

  /** The funnel counts of a run's directory: key to count, summed over its files. */
  public static Map<String, Long> read(Path dir) {
    return read(dir.toString());
  }

  /** The same for a directory on any Beam file system ({@link Locations}). */
  public static Map<String, Long> read(String dir) {
    Map<String, Long> counts = new TreeMap<>();
    for (ResourceId f : Locations.match(Locations.resolve(dir, PREFIX + "*.tsv"))) {
      Locations.lines(f, line -> {
        int tab = line.lastIndexOf('\t');
        counts.merge(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)), Long::sum);
      });
    }
    return counts;
  }

  /** The entries of the counts, stage by stage in the run's order; the source's in is 0. */
  public static List<Entry> entries(Map<String, Long> counts) {
    Map<Integer, String> stages = new TreeMap<>();
    Map<Integer, long[]> outCreated = new HashMap<>();
    Map<Integer, Map<String, Long>> rejected = new HashMap<>();
    counts.forEach((key, n) -> {
      String[] p = key.split("\t", 4);
      int i = Integer.parseInt(p[0]);
      stages.put(i, p[1]);
      long[] oc = outCreated.computeIfAbsent(i, x -> new long[2]);
      switch (p[2]) {
        case OUT -> oc[0] += n;
        case CREATED -> oc[1] += n;
        case REJECTED -> rejected.computeIfAbsent(i, x -> new TreeMap<>()).merge(p[3], n,
            Long::sum);
        default -> { }
      }
    });
    List<Entry> out = new ArrayList<>();
    long in = 0;
    for (Map.Entry<Integer, String> s : stages.entrySet()) {
      long[] oc = outCreated.getOrDefault(s.getKey(), new long[2]);
      Map<String, Long> rej = rejected.getOrDefault(s.getKey(), Map.of());
      // The source makes its elements from nothing: all of them are created.
      long created = out.isEmpty() ? oc[0] + rej.values().stream().mapToLong(Long::longValue)
          .sum() : oc[1];
      out.add(new Entry(s.getValue(), in, created, oc[0], new TreeMap<>(rej)));
      in = oc[0];
    }
    return out;
  }

  /** The source's output by slice key and value. */
  public static Map<String, Map<String, Long>> sourceSlices(Map<String, Long> counts) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    counts.forEach((key, n) -> {
      String[] p = key.split("\t", 5);
      if (p.length == 5 && "0".equals(p[0]) && SLICE.equals(p[2])) {
        out.computeIfAbsent(p[3], k -> new TreeMap<>()).merge(p[4], n, Long::sum);
      }
    });
    return out;
  }
}
