package io.convoforge.family.tooluse.stages;

import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCoder;
import io.convoforge.core.util.Seeds;
import io.convoforge.family.tooluse.ToolUseCodec;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.ToolUse;
import io.convoforge.family.tooluse.recipe.Stratum;
import io.convoforge.family.tooluse.recipe.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The source stage: turns the sampling plan (strata of task, outcome and count, computed by the
 * launcher from weights or an exact chain table) into elements with deterministic ids
 * ({@code <prefix>-00042}), a persona and a style drawn from (run seed, id, "sample"). Never fails
 * an element.
 *
 * <p>Only the shard numbers are shuffled: each of {@code shards} tiny elements lands on some
 * worker, which then generates every {@code shards}-th element of every stratum. Work spreads
 * over workers in a few large bundles with no per-element shuffle (the DirectRunner pays per
 * bundle and per grouped element; a cluster gets one slot per shard).
 */
public final class SampleTasks extends PTransform<PBegin, PCollection<Record<ToolUse>>> {
  public static final String STAGE = "sample";
  private final ToolUseContext ctx;
  private final List<Stratum> strata;
  private final int shards;

  private SampleTasks(ToolUseContext ctx, List<Stratum> strata, int shards) {
    super("SampleTasks");
    this.ctx = ctx;
    this.strata = List.copyOf(strata);
    this.shards = shards;
  }

  public static SampleTasks of(ToolUseContext ctx, List<Stratum> strata) {
    return new SampleTasks(ctx, strata, 1);
  }

  /** The same, spread over {@code n} shards. */
  public SampleTasks withShards(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("shards must be positive, got " + n);
    }
    return new SampleTasks(ctx, strata, n);
  }

  @Override
  public PCollection<Record<ToolUse>> expand(PBegin input) {
    List<Integer> shardIds = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      shardIds.add(i);
    }
    RecordCoder<ToolUse> coder = RecordCoder.of(ToolUse.class);
    return input
        .apply("Shards", Create.of(shardIds).withCoder(VarIntCoder.of()))
        .apply("KeyByShard", WithKeys.of((Integer i) -> i)
            .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), VarIntCoder.of()))
        .apply("Spread", Reshuffle.of())
        .apply("Unshard", Values.create())
        .setCoder(VarIntCoder.of())
        .apply("Expand", ParDo.of(new ExpandFn(ctx, strata, shards)))
        .setCoder(coder)
        .apply("Persona", ParDo.of(new PersonaFn(ctx)))
        .setCoder(coder);
  }

  /** Every {@code shards}-th element of every stratum, starting at the shard's number. */
  static final class ExpandFn extends DoFn<Integer, Record<ToolUse>> {
    private final ToolUseContext ctx;
    private final List<Stratum> strata;
    private final int shards;

    ExpandFn(ToolUseContext ctx, List<Stratum> strata, int shards) {
      this.ctx = ctx;
      this.strata = strata;
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element Integer shard, OutputReceiver<Record<ToolUse>> out) {
      Map<String, Object> lineage = ctx.run().lineage();
      for (Stratum s : strata) {
        Task task = ctx.tasks().get(s.taskId());
        Map<String, Object> metadata = new TreeMap<>();
        metadata.put("task_name", task.name());
        metadata.put("goal", task.description());
        metadata.put("workflow", task.workflow());
        if (s.failAt() != null) {
          metadata.put("fail_at", s.failAt());
        }
        for (int i = shard; i < s.count(); i += shards) {
          String id = String.format("%s-%05d", s.prefix(), i);
          out.output(ToolUseCodec.record(new Conversation(id, ctx.recipe().name(), s.taskId(),
              s.chainId(), s.outcome(), null, null, null, null, null, metadata, lineage), null));
        }
      }
    }
  }

  /** Draws the persona (name, role, style) from (seed, id, "sample"). */
  static final class PersonaFn extends DoFn<Record<ToolUse>, Record<ToolUse>> {
    private final ToolUseContext ctx;
    private transient ValueGenerator values;

    PersonaFn(ToolUseContext ctx) {
      this.ctx = ctx;
    }

    @Setup
    public void setup() {
      values = new ValueGenerator();
    }

    @ProcessElement
    public void process(@Element Record<ToolUse> c, OutputReceiver<Record<ToolUse>> out) {
      values.reseed(Seeds.of(ctx.seed(), c.id(), STAGE));
      Map<String, String> persona = new TreeMap<>();
      persona.put("name", values.faker().name().firstName() + " "
          + values.faker().name().lastName());
      persona.put("role", values.one(ctx.phrases().list("roles")));
      persona.put("style", values.one(ctx.phrases().list("styles")));
      ToolUse p = c.payload();
      out.output(c.withPayload(new ToolUse(persona, p.plan(), p.initialEntities(),
          p.metadata())));
    }
  }
}
