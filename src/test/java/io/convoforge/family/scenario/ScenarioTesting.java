package io.convoforge.family.scenario;

import io.convoforge.core.family.RunContext;
import io.convoforge.core.llm.Backend;
import io.convoforge.core.model.Record;
import io.convoforge.core.run.Inputs;
import io.convoforge.core.run.StageRegistry;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.family.scenario.model.ScenarioCall;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shipped recipe loaded for stage tests (offline, registering nothing), and its stages. */
public final class ScenarioTesting {
  public static final Path RECIPE = Path.of("pipelines/call-centre-es.yaml");

  private ScenarioTesting() {}

  /** The recipe with {@code overrides}, offline and with no registry. */
  public static Inputs inputs(Integer count, String... overrides) {
    List<String> o = new ArrayList<>(List.of("backend=offline", "registry=none"));
    o.addAll(List.of(overrides));
    return Inputs.load(RECIPE, o, count);
  }

  /** {@code in} with another backend (a fake model), everything else equal. */
  public static Inputs withBackend(Inputs in, Backend backend) {
    return new Inputs(in.recipe(), in.family(), in.run(), new RunContext(in.recipe(), backend,
        in.context().runId(), in.context().seed()));
  }

  public static ScenarioRun run(Inputs in) {
    return (ScenarioRun) in.run();
  }

  /** The stage {@code name} of the run {@code in}. */
  @SuppressWarnings("unchecked")
  public static RecordStage<ScenarioCall, ScenarioCall> stage(Inputs in, String name) {
    return (RecordStage<ScenarioCall, ScenarioCall>) StageRegistry.create(name, in.context(),
        in.run());
  }

  public static List<Record<ScenarioCall>> list(Iterable<Record<ScenarioCall>> all) {
    List<Record<ScenarioCall>> out = new ArrayList<>();
    all.forEach(out::add);
    return out;
  }
}
