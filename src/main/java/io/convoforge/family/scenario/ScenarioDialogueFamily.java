package io.convoforge.family.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.family.FamilyRun;
import io.convoforge.core.family.RecipeFamily;
import io.convoforge.core.input.InputException;
import io.convoforge.core.llm.OfflineBackend;
import io.convoforge.core.llm.Prompts;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.RecordCodec;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.core.run.Inputs;
import io.convoforge.family.scenario.cli.MenuCommand;
import io.convoforge.family.scenario.cli.RegistryCommand;
import io.convoforge.family.scenario.offline.OfflineTranscripts;
import io.convoforge.family.scenario.registry.Registry;
import io.convoforge.family.scenario.registry.RegistryUrl;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scenario-dialogue family ({@code kind: scenario-dialogue}): call-centre transcripts, each
 * generated under one scenario of a markdown prompt specification, delivered in batches (folders,
 * previews, {@code messages.csv}) registered in a database. Recipe keys ({@code
 * schemas/recipe-scenario-dialogue.schema.json}): {@code prompt}, {@code scenario_mode}, {@code
 * scenario}, {@code batch_size}, {@code registry}, {@code output_root}, {@code phrases}. Stages:
 * {@code sample} (the source), {@code generate} (model-facing), {@code timestamps}, then the
 * core ones. Commands: {@code registry}, {@code menu}. Prompts in {@code
 * transforms/scenario-dialogue/}.
 */
public final class ScenarioDialogueFamily implements RecipeFamily {
  /** The model-facing stages, each with a prompt folder. */
  static final List<String> PROMPTS = List.of("generate", "judge");

  @Override
  public String kind() {
    return ScenarioCodec.KIND;
  }

  @Override
  public JsonNode recipeSchema() {
    try (InputStream in = getClass().getResourceAsStream(
        "/schemas/recipe-scenario-dialogue.schema.json")) {
      return Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Set<String> pathKeys() {
    return Set.of("prompt", "output_root", "phrases");
  }

  @Override
  public Map<String, Object> defaults() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("stages", List.of("sample", "generate", "timestamps", "judge", "filter"));
    d.put("backend", "auto");
    d.put("count", 100);
    d.put("scenario_mode", "random");
    d.put("batch_size", ScenarioSettings.DEFAULT_BATCH_SIZE);
    return d;
  }

  /**
   * Reads the spec (every problem with its file and line), checks the mode and scenario against
   * its catalogue and the registry URL, plans the batches, and loads the phrase bank of the
   * spec's language when the backend is offline.
   */
  @Override
  public FamilyRun prepare(Recipe recipe, Integer count) {
    ScenarioSettings settings = ScenarioSettings.from(recipe);
    PromptSpec spec = PromptSpec.read(Path.of(settings.prompt()));
    if ("fixed".equals(settings.mode())) {
      String id = settings.scenario();
      if (id == null || id.isBlank()) {
        throw new InputException(recipe.file(), "field scenario", "scenario_mode fixed needs"
            + " a scenario id of " + spec.file() + ": one of " + ids(spec));
      }
      if (spec.scenario(id.trim()).isEmpty()) {
        throw new InputException(recipe.file(), "field scenario", "'" + id + "' is not in the"
            + " catalogue of " + spec.file() + "; expected one of " + ids(spec));
      }
    }
    if (settings.registers()) {
      RegistryUrl.check(settings.registryUrl(), recipe.file(), "field registry");
    }
    int n = count != null ? count : recipe.count();
    if (n < 1) {
      throw new InputException(recipe.file(), "--count", "expected at least 1, got " + n);
    }
    ScenarioPlan plan = ScenarioPlan.of(spec, settings.mode(), settings.scenario(),
        recipe.seed(), n, settings.batchSize());
    OfflineTranscripts writer = null;
    if (OfflineBackend.NAME.equals(recipe.backend())) {
      writer = settings.phrases() == null ? OfflineTranscripts.forSpec(spec)
          : OfflineTranscripts.forSpec(spec, Path.of(settings.phrases()));
    }
    Prompts prompts = Prompts.load(Prompts.dirOf(recipe.section("llm")), kind(), PROMPTS,
        List.of("judge"));
    // The count is left out: a call's content depends on its batch, not on how many batches
    // there are, so a larger run extends a smaller one with the same ids and the same records.
    String fingerprint = spec.sha256() + "\n" + (writer == null ? "" : writer.bankRef());
    ScenarioRun run =
        new ScenarioRun(this, recipe, settings, spec, plan, writer, prompts, fingerprint);
    if (settings.registers() && RegistryUrl.mayExist(settings.registryUrl())) {
      checkRegistry(recipe, run);
    }
    return run;
  }

  /**
   * Refuses, before anything runs, a plan whose batch ids the registry already holds from
   * another run configuration: the same prompt, mode and seed with another batch size, backend
   * or settings would give other content under the same ids, which the registry keeps once.
   */
  private void checkRegistry(Recipe recipe, ScenarioRun run) {
    ScenarioPlan plan = run.plan();
    Set<String> ids = new LinkedHashSet<>();
    for (int b = 0; b < plan.batches(); b++) {
      ids.add(plan.batchId(b));
    }
    String runId = Inputs.runId(recipe, this, run);
    Map<String, String> taken;
    try (Registry registry = Registry.open(run.settings().registryUrl())) {
      taken = registry.takenByOtherRuns(plan.spec().id(), ids, runId);
    } catch (IllegalStateException e) {
      throw new InputException(recipe.file(), "field registry", "cannot open the registry: "
          + e.getMessage());
    }
    if (!taken.isEmpty()) {
      List<String> some = taken.keySet().stream().limit(3).toList();
      throw new InputException(recipe.file(), "field registry", taken.size() + " of the "
          + ids.size() + " batches this run plans (" + String.join(", ", some)
          + (taken.size() > some.size() ? ", …" : "") + ") are registered in "
          + RegistryUrl.redacted(run.settings().registryUrl()) + " by another configuration"
          + " of the same prompt, scenario mode and seed (run id "
          + taken.values().iterator().next() + ", this run's " + runId + ": another batch size,"
          + " backend, stages or settings), so they would hold other calls under the same ids."
          + " Use another --seed, or another registry");
    }
  }

  @Override
  public RecordCodec codec() {
    return new ScenarioCodec();
  }

  /** A small trial that registers nothing. */
  @Override
  public List<String> trialOverrides() {
    return List.of("count=20", "batch_size=10", "registry=" + ScenarioSettings.NO_REGISTRY);
  }

  @Override
  public List<Object> commands() {
    return List.of(new RegistryCommand(), new MenuCommand());
  }

  private static List<String> ids(PromptSpec spec) {
    return spec.scenarios().stream().map(Scenario::id).toList();
  }
}
