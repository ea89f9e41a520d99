package io.convoforge.core.stages;

import io.convoforge.core.input.InputException;
import io.convoforge.core.model.JsonCoder;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.recipe.Recipe;
import java.io.Serializable;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Keeps the top {@code select.k} (or {@code select.top_k}) records by judge score (ties: smaller id first), per value of a
 * slice key ({@code select.per}: task, heading, persona...; default the family's) or over the
 * whole run ({@code overall}).
 *
 * <p>How: {@code Top.perKey} on (score, id) pairs keeps at most k per group in each combiner
 * (bounded memory); the selected ids, k per group, are a side input of the filter. In: records
 * (a missing judgement counts as score 0). Out: the selected. Failures: the rest, reason {@code
 * below_top_k}.
 */
public final class SelectTop<P> extends RecordStage<P, P> {
  public static final String STAGE = "select";
  /** {@code select.per} for no grouping. */
  public static final String OVERALL = "overall";
  private final int k;
  private final String per;

  private SelectTop(int k, String per) {
    super("SelectTop");
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0, got " + k);
    }
    this.k = k;
    this.per = per;
  }

  /** The recipe's {@code select} section; {@code defaultPer} when it sets no {@code per}. */
  public static <P> SelectTop<P> of(Recipe recipe, String defaultPer) {
    Map<String, Object> s = recipe.section("select");
    Object k = s.get("top_k") != null ? s.get("top_k") : s.get("k");
    if (!(k instanceof Number n)) {
      throw new InputException(recipe.file(), "field select.k",
          "the select stage needs select.k (or select.top_k): how many to keep");
    }
    String per = String.valueOf(s.getOrDefault("per", defaultPer));
    if (per.isBlank()) {
      throw new InputException(recipe.file(), "field select.per",
          "expected a slice key or overall");
    }
    return new SelectTop<>(n.intValue(), per);
  }

  public static <P> SelectTop<P> of(int k, String per) {
    return new SelectTop<>(k, per);
  }

  /** (score, id), ordered so that "greater" is better: higher score, then smaller id. */
  record Ranked(double score, String id) implements Serializable {}

  static final class Better implements Comparator<Ranked>, Serializable {
    @Override
    public int compare(Ranked a, Ranked b) {
      int c = Double.compare(a.score(), b.score());
      return c != 0 ? c : b.id().compareTo(a.id());
    }
  }

  /** The group of a record: the value of the slice key, "" overall or when it has none. */
  static String group(Record<?> r, String per) {
    String v = OVERALL.equals(per) ? null : r.slice(per);
    return v == null ? "" : v;
  }

  @Override
  public StageResult<P> expand(PCollection<Record<P>> input) {
    String by = per;
    PCollectionView<List<String>> selected = input
        .apply("Rank", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                TypeDescriptor.of(Ranked.class)))
            .via((Record<P> r) -> KV.of(group(r, by),
                new Ranked(r.judgement() == null ? 0 : r.judgement().score(), r.id()))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), JsonCoder.of(Ranked.class)))
        .apply("TopPerGroup", Top.perKey(k, new Better()))
        .apply(Values.create())
        .apply("SelectedIds", MapElements.into(TypeDescriptors.lists(TypeDescriptors.strings()))
            .via((List<Ranked> l) -> l.stream().map(Ranked::id).toList()))
        .apply(Flatten.iterables())
        .apply("AsList", View.asList());
    SelectFn<P> fn = new SelectFn<>(selected, k, per);
    PCollectionTuple t = input.apply("KeepSelected", ParDo.of(fn).withSideInputs(selected)
        .withOutputTags(fn.output, TupleTagList.of(RecordFn.FAILURES)));
    return StageResult.of(t.get(fn.output).setCoder(input.getCoder()),
        t.get(RecordFn.FAILURES).setCoder(JsonCoder.of(Rejected.class)));
  }

  static final class SelectFn<P> extends DoFn<Record<P>, Record<P>> {
    final TupleTag<Record<P>> output = new TupleTag<>("output");
    private final PCollectionView<List<String>> selected;
    private final int k;
    private final String per;
    private transient Set<String> ids;

    SelectFn(PCollectionView<List<String>> selected, int k, String per) {
      this.selected = selected;
      this.k = k;
      this.per = per;
    }

    @StartBundle
    public void startBundle() {
      ids = null;
    }

    @ProcessElement
    public void process(@Element Record<P> r, ProcessContext ctx, MultiOutputReceiver out) {
      if (ids == null) {
        ids = new HashSet<>(ctx.sideInput(selected));
      }
      if (ids.contains(r.id())) {
        out.get(output).output(r);
      } else {
        String g = group(r, per);
        out.get(RecordFn.FAILURES).output(Rejected.of(r, STAGE, "below_top_k",
            "not among the top " + k + (g.isEmpty() ? " overall" : " of " + per + " " + g)
                + " by judge score"));
      }
    }
  }
}
