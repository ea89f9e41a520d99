package io.convoforge.stages;

import io.convoforge.model.Conversation;
import io.convoforge.model.JsonCoder;
import io.convoforge.model.Rejected;
import io.convoforge.schema.InputException;
import java.io.Serializable;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Keeps the top {@code select.k} conversations by judge score (ties: smaller id first), per task
 * ({@code select.per: task}, the default) or over the whole run ({@code overall}).
 *
 * <p>How: {@code Top.perKey} on (score, id) pairs keeps at most k per group in each combiner
 * (bounded memory); the selected ids, k per group, are a side input of the filter. In:
 * conversations (a missing judgement counts as score 0). Out: the selected. Failures: the rest,
 * reason {@code below_top_k}.
 */
public final class SelectTop extends ConversationStage {
  public static final String STAGE = "select";
  private final int k;
  private final boolean perTask;

  private SelectTop(int k, boolean perTask) {
    super("SelectTop");
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0, got " + k);
    }
    this.k = k;
    this.perTask = perTask;
  }

  public static SelectTop using(StageContext ctx) {
    Map<String, Object> s = ctx.recipe().section("select");
    if (!(s.get("k") instanceof Number n)) {
      throw new InputException(ctx.recipe().file(), "field select.k",
          "the select stage needs select.k (how many to keep)");
    }
    String per = String.valueOf(s.getOrDefault("per", "task"));
    if (!per.equals("task") && !per.equals("overall")) {
      throw new InputException(ctx.recipe().file(), "field select.per",
          "expected task or overall, got '" + per + "'");
    }
    return new SelectTop(n.intValue(), per.equals("task"));
  }

  public static SelectTop of(int k, boolean perTask) {
    return new SelectTop(k, perTask);
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

  @Override
  public WithFailures.Result<PCollection<Conversation>, Rejected> expand(
      PCollection<Conversation> input) {
    boolean byTask = perTask;
    PCollectionView<List<String>> selected = input
        .apply("Rank", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                TypeDescriptor.of(Ranked.class)))
            .via((Conversation c) -> KV.of(byTask ? c.taskId() : "",
                new Ranked(c.judgement() == null ? 0 : c.judgement().score(), c.id()))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), JsonCoder.of(Ranked.class)))
        .apply("TopPerGroup", Top.perKey(k, new Better()))
        .apply(Values.create())
        .apply("SelectedIds", MapElements.into(TypeDescriptors.lists(TypeDescriptors.strings()))
            .via((List<Ranked> l) -> l.stream().map(Ranked::id).toList()))
        .apply(Flatten.iterables())
        .apply("AsList", View.asList());
    PCollectionTuple t = input.apply("KeepSelected",
        ParDo.of(new SelectFn(selected, k, byTask)).withSideInputs(selected)
            .withOutputTags(ConversationFn.OUTPUT, TupleTagList.of(ConversationFn.FAILURES)));
    t.get(ConversationFn.OUTPUT).setCoder(JsonCoder.of(Conversation.class));
    t.get(ConversationFn.FAILURES).setCoder(JsonCoder.of(Rejected.class));
    return WithFailures.Result.of(t, ConversationFn.OUTPUT, ConversationFn.FAILURES);
  }

  static final class SelectFn extends DoFn<Conversation, Conversation> {
    private final PCollectionView<List<String>> selected;
    private final int k;
    private final boolean perTask;
    private transient Set<String> ids;

    SelectFn(PCollectionView<List<String>> selected, int k, boolean perTask) {
      this.selected = selected;
      this.k = k;
      this.perTask = perTask;
    }

    @StartBundle
    public void startBundle() {
      ids = null;
    }

    @ProcessElement
    public void process(@Element Conversation c, ProcessContext ctx, MultiOutputReceiver out) {
      if (ids == null) {
        ids = new HashSet<>(ctx.sideInput(selected));
      }
      if (ids.contains(c.id())) {
        out.get(ConversationFn.OUTPUT).output(c);
      } else {
        out.get(ConversationFn.FAILURES).output(Rejected.of(c, STAGE, "below_top_k",
            "not among the top " + k + (perTask ? " of task " + c.taskId() : " overall")
                + " by judge score"));
      }
    }
  }
}
