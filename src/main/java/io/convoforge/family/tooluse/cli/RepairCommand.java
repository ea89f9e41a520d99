package io.convoforge.family.tooluse.cli;

import io.convoforge.core.run.Job;
import io.convoforge.family.tooluse.verify.RepairJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** {@code convoforge repair DIR --out DIR2}: replay, repair and enrich an existing dataset. */
@Command(
    name = "repair",
    mixinStandardHelpOptions = true,
    description = "Replays an existing dataset's conversations in the sandbox, repairs missing"
        + " seed metadata, fills tool results and empty responses from execution, and writes a"
        + " new dataset with rejected records and report.json. Other --flags go to Beam.")
public final class RepairCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR")
  Path in;

  @Option(names = "--out", required = true, paramLabel = "DIR2")
  Path out;

  @Option(names = "--recipe", description = "Recipe file (default: the one in DIR/report.json).")
  Path recipe;

  @Option(names = "--set", paramLabel = "key=value", description = "Override a recipe key.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--overwrite", description = "Replace a non-empty --out directory.")
  boolean overwrite;

  @Unmatched List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() {
    Job.Result r = RepairJob.run(new RepairJob.Request(in, recipe, sets, out, overwrite,
        beamArgs));
    Map<String, Object> rep = r.report();
    Map<?, ?> repair = (Map<?, ?>) rep.get("repair");
    Map<?, ?> gates = (Map<?, ?>) rep.get("gates");
    System.out.println("Wrote " + r.out());
    System.out.printf("  read %s, accepted %s, rejected %s %s%n", rep.get("sampled"),
        rep.get("accepted"), rep.get("rejected_total"), rep.get("rejected"));
    System.out.printf("  pre-repair failures by type %s; %s conversations repaired, %s seed rows"
        + " added, %s completed%n", repair.get("prerepair_failures_by_type"),
        repair.get("conversations_repaired"), repair.get("entities_added"),
        repair.get("entities_completed"));
    System.out.println("  gates: " + (Boolean.TRUE.equals(gates.get("passed")) ? "all passed"
        : "failed " + gates.get("failed")));
    return 0;
  }
}
