package io.convoforge.family.scenario.stages;

import io.convoforge.core.model.Record;
import io.convoforge.family.scenario.ScenarioCodec;
import io.convoforge.family.scenario.ScenarioPlan;
import io.convoforge.family.scenario.model.ScenarioCall;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
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
 * The source stage: the plan's batches as records, one per slot, each generated later under
 * exactly one scenario. Ids come from the plan ({@code <batch id>-c<slot>}); the slice is {@code
 * scenario} (its id), {@code batch}, {@code language} and {@code prompt} (the spec's id); the
 * payload carries the scenario's title, the batch index and the slot; the lineage starts with
 * the run's and adds the prompt's hash and file name, the scenario mode, the batch index and slot.
 * No messages yet. Never fails an element.
 *
 * <p>Only shard numbers are shuffled: each of {@code shards} tiny elements lands on a worker,
 * which then makes every {@code shards}-th conversation of the run (by its number in the run),
 * computing each batch's scenario assignment once.
 */
public final class SampleScenarios extends PTransform<PBegin, PCollection<Record<ScenarioCall>>> {
  public static final String STAGE = "sample";

  private final ScenarioPlan plan;
  private final String promptFile;
  private final String recipe;
  private final Map<String, Object> lineage;
  private final int shards;

  private SampleScenarios(ScenarioPlan plan, String promptFile, String recipe,
      Map<String, Object> lineage, int shards) {
    super("SampleScenarios");
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be positive, got " + shards);
    }
    this.plan = plan;
    this.promptFile = promptFile;
    this.recipe = recipe;
    this.lineage = new TreeMap<>(lineage);
    this.shards = shards;
  }

  /**
   * The records of {@code plan} (its spec read from the file named {@code promptFile}) for the
   * recipe named {@code recipe}, starting from the run's {@code lineage}.
   */
  public static SampleScenarios of(ScenarioPlan plan, String promptFile, String recipe,
      Map<String, Object> lineage) {
    return new SampleScenarios(plan, promptFile, recipe, lineage, 1);
  }

  /** The same, spread over {@code n} shards. */
  public SampleScenarios withShards(int n) {
    return new SampleScenarios(plan, promptFile, recipe, lineage, n);
  }

  @Override
  public PCollection<Record<ScenarioCall>> expand(PBegin input) {
    List<Integer> shardIds = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      shardIds.add(i);
    }
    return input
        .apply("Shards", Create.of(shardIds).withCoder(VarIntCoder.of()))
        .apply("KeyByShard", WithKeys.of((Integer i) -> i)
            .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), VarIntCoder.of()))
        .apply("Spread", Reshuffle.of())
        .apply("Unshard", Values.create())
        .setCoder(VarIntCoder.of())
        .apply("Expand", ParDo.of(new ExpandFn(this)))
        .setCoder(ScenarioCodec.CODER);
  }

  /** The conversations of one shard: numbers {@code shard}, {@code shard + shards}, ... */
  static final class ExpandFn extends DoFn<Integer, Record<ScenarioCall>> {
    private final SampleScenarios spec;

    ExpandFn(SampleScenarios spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element Integer shard, OutputReceiver<Record<ScenarioCall>> out) {
      ScenarioPlan plan = spec.plan;
      PromptSpec prompt = plan.spec();
      for (int b = 0; b < plan.batches(); b++) {
        long first = (long) b * plan.batchSize();
        int slot = (int) Math.floorMod(shard - first, (long) spec.shards);
        if (slot >= plan.size(b)) {
          continue;
        }
        List<Scenario> scenarios = plan.scenarios(b);
        String batchId = plan.batchId(b);
        for (; slot < scenarios.size(); slot += spec.shards) {
          Scenario s = scenarios.get(slot);
          out.output(record(prompt, batchId, b, slot, s));
        }
      }
    }

    private Record<ScenarioCall> record(PromptSpec prompt, String batchId, int b, int slot,
        Scenario s) {
      Map<String, String> slice = new TreeMap<>();
      slice.put(ScenarioCodec.SCENARIO, s.id());
      slice.put(ScenarioCodec.BATCH, batchId);
      slice.put(ScenarioCodec.LANGUAGE, prompt.language());
      slice.put(ScenarioCodec.PROMPT, prompt.id());
      Map<String, Object> l = new TreeMap<>(spec.lineage);
      l.put("prompt_file", spec.promptFile);
      l.put("prompt_sha256", prompt.sha256());
      l.put("scenario_mode", spec.plan.mode().wire());
      l.put("batch_index", b);
      l.put("slot", slot);
      return Record.of(ScenarioPlan.conversationId(batchId, slot), spec.recipe,
          ScenarioCodec.KIND, slice, new ScenarioCall(s.title(), b, slot), l);
    }
  }
}
