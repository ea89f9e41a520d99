package io.convoforge.family.tooluse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.convoforge.TestSupport;
import io.convoforge.core.run.Job;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same seed, same bytes: the accepted output (sorted) and the rejected records are identical on
 * the DirectRunner and on an embedded Flink cluster.
 */
class FlinkDeterminismTest {
  @TempDir Path tmp;

  @Test
  void directRunnerAndFlinkWriteIdenticalDatasets() {
    Path direct = Job.run(new Job.Request(TestSupport.CRM, List.of(), 60, tmp.resolve("direct"),
        false, List.of())).out();
    Path flink = Job.run(new Job.Request(TestSupport.CRM, List.of(), 60, tmp.resolve("flink"),
        false, List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2")))
        .out();
    List<String> a = ToolUseJobTest.sorted(direct);
    assertEquals(60, a.size());
    assertEquals(a, ToolUseJobTest.sorted(flink));
  }
}
