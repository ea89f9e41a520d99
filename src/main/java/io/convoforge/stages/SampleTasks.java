package io.convoforge.stages;

import io.convoforge.gen.ValueGenerator;
import io.convoforge.model.Conversation;
import io.convoforge.model.JsonCoder;
import io.convoforge.recipe.Stratum;
import io.convoforge.recipe.Task;
import io.convoforge.util.Seeds;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The source stage: turns the sampling plan (strata of task, outcome and count, computed by the
 * launcher from weights or an exact chain table) into elements with deterministic ids
 * ({@code <prefix>-00042}), a persona and a style drawn from (run seed, id, "sample").
 * Redistributed over a fixed number of key shards so the work spreads over workers in bundles of
 * many elements: a random key per element would make one bundle per element, and the DirectRunner
 * pays a fixed cost per bundle. The launcher picks the shard count for the runner. Never fails an
 * element.
 */
public final class SampleTasks extends PTransform<PBegin, PCollection<Conversation>> {
  public static final String STAGE = "sample";
  /** Default shard count: the parallelism available downstream of sampling on a cluster. */
  public static final int DEFAULT_SHARDS = 64;
  private final StageContext ctx;
  private final List<Stratum> strata;
  private final int shards;

  private SampleTasks(StageContext ctx, List<Stratum> strata, int shards) {
    super("SampleTasks");
    this.ctx = ctx;
    this.strata = List.copyOf(strata);
    this.shards = shards;
  }

  public static SampleTasks of(StageContext ctx, List<Stratum> strata) {
    return new SampleTasks(ctx, strata, DEFAULT_SHARDS);
  }

  /** The same, spread over {@code n} key shards. */
  public SampleTasks withShards(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("shards must be positive, got " + n);
    }
    return new SampleTasks(ctx, strata, n);
  }

  @Override
  public PCollection<Conversation> expand(PBegin input) {
    JsonCoder<Conversation> coder = JsonCoder.of(Conversation.class);
    final long n = shards;
    return input
        .apply("Strata", Create.of(strata).withCoder(JsonCoder.of(Stratum.class)))
        .apply("Expand", ParDo.of(new ExpandFn(ctx)))
        .setCoder(coder)
        .apply("Shard", WithKeys.of((Conversation c) ->
            (int) Math.floorMod(Seeds.hash(c.id()), n))
            .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), coder))
        .apply("Spread", Reshuffle.of())
        .apply("Unshard", Values.create())
        .setCoder(coder)
        .apply("Persona", ParDo.of(new PersonaFn(ctx)))
        .setCoder(coder);
  }

  /** One skeleton element per index of a stratum. */
  static final class ExpandFn extends DoFn<Stratum, Conversation> {
    private final StageContext ctx;

    ExpandFn(StageContext ctx) {
      this.ctx = ctx;
    }

    @ProcessElement
    public void process(@Element Stratum s, OutputReceiver<Conversation> out) {
      Task task = ctx.tasks().get(s.taskId());
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("task_name", task.name());
      metadata.put("goal", task.description());
      metadata.put("workflow", task.workflow());
      if (s.failAt() != null) {
        metadata.put("fail_at", s.failAt());
      }
      Map<String, Object> lineage = new TreeMap<>();
      lineage.put("run_id", ctx.runId());
      lineage.put("seed", ctx.seed());
      lineage.put("backend", ctx.backend().name());
      lineage.put("recipe", ctx.recipe().name());
      lineage.put("stages", ctx.recipe().stages());
      for (int i = 0; i < s.count(); i++) {
        String id = String.format("%s-%05d", s.prefix(), i);
        out.output(new Conversation(id, ctx.recipe().name(), s.taskId(), s.chainId(),
            s.outcome(), null, null, null, null, null, metadata, lineage));
      }
    }
  }

  /** Draws the persona (name, role, style) from (seed, id, "sample"). */
  static final class PersonaFn extends DoFn<Conversation, Conversation> {
    private final StageContext ctx;
    private transient ValueGenerator values;

    PersonaFn(StageContext ctx) {
      this.ctx = ctx;
    }

    @Setup
    public void setup() {
      values = new ValueGenerator();
    }

    @ProcessElement
    public void process(@Element Conversation c, OutputReceiver<Conversation> out) {
      values.reseed(Seeds.of(ctx.seed(), c.id(), STAGE));
      Map<String, String> persona = new TreeMap<>();
      persona.put("name", values.faker().name().firstName() + " "
          + values.faker().name().lastName());
      persona.put("role", values.one(ctx.phrases().list("roles")));
      persona.put("style", values.one(ctx.phrases().list("styles")));
      out.output(new Conversation(c.id(), c.recipe(), c.taskId(), c.chainId(), c.outcome(),
          persona, c.plan(), c.initialEntities(), c.turns(), c.judgement(), c.metadata(),
          c.lineage()));
    }
  }
}
