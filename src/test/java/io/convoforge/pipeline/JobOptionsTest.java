package io.convoforge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.convoforge.backend.Backends;
import io.convoforge.backend.GeneratorFactory;
import io.convoforge.recipe.RecipeLoader;
import io.convoforge.recipe.Recipe;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectOptions;
import org.junit.jupiter.api.Test;

/** How {@link Job} sizes the DirectRunner: a thread per core, plus some for waiting LLM stages. */
class JobOptionsTest {
  private static final Path RECIPE = Path.of("pipelines/crm-tool-use.yaml");
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  @Test
  void offlineRunsGetOneBundleThreadPerCoreAndNoTestOnlyChecks() {
    Recipe r = RecipeLoader.load(RECIPE, List.of());
    GeneratorFactory offline = Backends.create("offline", Map.of());
    assertEquals(0, Job.blockingStages(r, offline));
    DirectOptions o = Job.options(List.of(), 0).as(DirectOptions.class);
    assertEquals(CORES, o.getTargetParallelism());
    assertFalse(o.isEnforceImmutability());
    assertFalse(o.isEnforceEncodability());
  }

  @Test
  void remoteBackendsAddThreadsForHalfTheStagesThatCallThem() {
    Recipe r = RecipeLoader.load(RECIPE, List.of("backend=openai",
        "llm.base_url=http://127.0.0.1:9/v1"));
    GeneratorFactory openai = Backends.create("openai", r.section("llm"));
    assertEquals(4, Job.blockingStages(r, openai), "plan, args, utterances, judge");
    assertEquals(CORES + 2,
        Job.options(List.of(), 4).as(DirectOptions.class).getTargetParallelism());
    Recipe two = RecipeLoader.load(RECIPE, List.of("backend=openai",
        "llm.base_url=http://127.0.0.1:9/v1", "stages=[sample,plan,args]"));
    assertEquals(2, Job.blockingStages(two, openai));
  }

  @Test
  void anExplicitTargetParallelismWins() {
    assertEquals(7, Job.options(List.of("--targetParallelism=7"), 4).as(DirectOptions.class)
        .getTargetParallelism());
  }
}
