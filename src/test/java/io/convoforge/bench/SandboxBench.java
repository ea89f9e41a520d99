package io.convoforge.bench;

import io.convoforge.core.model.Json;
import io.convoforge.core.run.DatasetDir;
import io.convoforge.core.run.Inputs;
import io.convoforge.core.run.Job;
import io.convoforge.core.run.OutputDir;
import io.convoforge.family.tooluse.ToolUseRun;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.sandbox.Replayer;
import io.convoforge.family.tooluse.sandbox.SeedRepair;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code convoforge bench sandbox}: makes a dataset with the offline recipe (without the repair
 * and enrich stages), then replays every conversation in its own fresh sandbox database on one
 * thread and prints conversations replayed per second; then the same with seeds removed, through
 * the repair loop.
 */
public final class SandboxBench {
  private SandboxBench() {}

  public static int run(Path recipe, int count, List<String> beamArgs) throws Exception {
    Path out = Files.createTempDirectory("convoforge-bench-sandbox");
    try {
      Job.run(new Job.Request(recipe, List.of("stages=[sample, plan, args, utterances, judge,"
          + " filter]"), count, out.resolve("data"), true, beamArgs));
      List<Conversation> convs = new ArrayList<>();
      for (Path f : DatasetDir.files(out.resolve("data"), "conversations*.jsonl")) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            convs.add(Json.read(line, Conversation.class));
          }
        }
      }
      Inputs in = Inputs.load(recipe, List.of(), count);
      TablesSchema schema = ToolUseRun.of(in).schema();
      Replayer replayer = new Replayer(schema, Tools.derive(schema));
      for (int i = 0; i < Math.min(200, convs.size()); i++) {
        replayer.replay(convs.get(i), false); // warm-up: class loading and JIT
      }
      long calls = 0;
      long failures = 0;
      long start = System.nanoTime();
      for (Conversation c : convs) {
        Replayer.Result r = replayer.replay(c, false);
        calls += r.steps().size();
        failures += r.failures();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("bench sandbox: %d conversations (%d tool calls) replayed, each in its"
          + " own fresh H2 database, on 1 thread%n", convs.size(), calls);
      System.out.printf("  conversations replayed/second: %.0f (%.2f ms each; %d execution"
          + " failures)%n", convs.size() / seconds, seconds * 1000 / convs.size(), failures);
      System.out.printf("  tool calls executed/second: %.0f%n", calls / seconds);
      SeedRepair repair = new SeedRepair(schema, replayer, in.context().seed());
      long repaired = 0;
      start = System.nanoTime();
      for (Conversation c : convs) {
        SeedRepair.Outcome o = repair.repair(c.withInitialEntities(Map.of()));
        repaired += o.repaired() ? 1 : 0;
      }
      seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("  repair with every seed removed: %.0f conversations/second (%d of %d"
          + " repaired)%n", convs.size() / seconds, repaired, convs.size());
      return 0;
    } finally {
      OutputDir.delete(out);
    }
  }
}
