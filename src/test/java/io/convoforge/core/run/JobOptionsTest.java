package io.convoforge.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.junit.jupiter.api.Test;

/** How {@link Job} sizes the DirectRunner: a thread per core, plus some for waiting LLM stages. */
class JobOptionsTest {
  private static final Path RECIPE = Path.of("pipelines/crm-tool-use.yaml");
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  @Test
  void offlineRunsGetOneBundleThreadPerCoreAndNoTestOnlyChecks() {
    assertEquals(0, Job.blockingStages(Inputs.load(RECIPE, List.of(), 10)));
    DirectOptions o = Job.options(List.of(), 0).as(DirectOptions.class);
    assertEquals(CORES, o.getTargetParallelism());
    assertFalse(o.isEnforceImmutability());
    assertFalse(o.isEnforceEncodability());
  }

  @Test
  void remoteBackendsAddThreadsForHalfTheStagesThatCallThem() {
    Inputs r = Inputs.load(RECIPE, List.of("backend=openai",
        "llm.base_url=http://127.0.0.1:9/v1"), 10);
    assertEquals(4, Job.blockingStages(r), "plan, args, utterances, judge");
    assertEquals(CORES + 2,
        Job.options(List.of(), 4).as(DirectOptions.class).getTargetParallelism());
    Inputs two = Inputs.load(RECIPE, List.of("backend=openai",
        "llm.base_url=http://127.0.0.1:9/v1", "stages=[sample,plan,args]"), 10);
    assertEquals(2, Job.blockingStages(two));
  }

  @Test
  void anExplicitTargetParallelismWins() {
    assertEquals(7, Job.options(List.of("--targetParallelism=7"), 4).as(DirectOptions.class)
        .getTargetParallelism());
  }
}
