package io.convoforge.pipeline;

import io.convoforge.backend.Backends;
import io.convoforge.backend.GeneratorFactory;
import io.convoforge.model.Conversation;
import io.convoforge.model.Json;
import io.convoforge.model.Rejected;
import io.convoforge.schema.InputException;
import io.convoforge.stages.StageContext;
import io.convoforge.util.Seeds;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * "Exactly N that pass" ({@code run --accepted N}): rounds of the whole recipe until N
 * conversations are accepted or the candidate budget ({@code --max-candidates}, default 5 x N)
 * is spent. Round 0 samples N with the run seed (so it is the plain run of N); each later round
 * samples fresh elements with a seed derived from (run seed, round), hence new ids, sized by the
 * pass rate so far; its dedup stage is anchored on everything accepted before (recipe key {@code
 * dedup.anchors}), so near-duplicates are removed across rounds too. When the last round
 * overshoots, its least preferred acceptances (lower judge score, then larger id) become rejected
 * records of stage {@code topup}, reason {@code surplus}, so {@code sampled = accepted + sum
 * rejected} still holds. The report's {@code top_up} section says the target, the candidates used,
 * the rounds and whether the budget ran out. Deterministic for a seed.
 *
 * <p>Rounds are assembled by the launcher (it reads back each round's files), so the surplus cut
 * keeps one round's accepted records in memory.
 */
public final class TopUp {
  public static final String STAGE = "topup";
  static final String ROUNDS = "_rounds";

  private TopUp() {}

  public static Job.Result run(Job.Request req) {
    int target = req.accepted();
    if (target < 1) {
      throw new InputException("command line", "--accepted", "must be at least 1, got "
          + target);
    }
    if (req.count() != null) {
      throw new InputException("command line", "--count", "--count and --accepted exclude each"
          + " other: --accepted samples as many as it takes");
    }
    int budget = req.maxCandidates() != null ? req.maxCandidates() : 5 * target;
    if (budget < 1) {
      throw new InputException("command line", "--max-candidates", "must be at least 1");
    }
    Inputs base = Inputs.load(req.recipe(), req.overrides(), target);
    PipelineOptions options = Job.options(req.beamArgs(), Job.blockingStages(base.recipe(),
        Backends.create(base.recipe().backend(), base.recipe().section("llm"))));
    OutputDir out = OutputDir.prepare(req.out(), req.overwrite());
    try {
      Path rounds = out.staging().resolve(ROUNDS);
      Path anchors = rounds.resolve("anchors");
      Files.createDirectories(anchors);
      int accepted = 0;
      int used = 0;
      int round = 0;
      double seconds = 0;
      List<Map<String, Object>> perRound = new ArrayList<>();
      String backendName = null;
      while (accepted < target && used < budget) {
        int need = target - accepted;
        double rate = used == 0 ? 1.0 : Math.max(0.05, (double) accepted / used);
        int count = Math.min(budget - used, round == 0 ? need
            : (int) Math.ceil(need / rate * 1.1));
        List<String> overrides = new ArrayList<>(req.overrides());
        long seed = round == 0 ? base.seed()
            : Seeds.of(base.seed(), "round-" + round, STAGE) & Long.MAX_VALUE;
        overrides.add("seed=" + seed);
        if (round > 0) {
          overrides.add("dedup.anchors=" + anchors.toAbsolutePath() + "/*.jsonl");
        }
        Inputs in = Inputs.load(req.recipe(), overrides, count);
        GeneratorFactory backend =
            Backends.create(in.recipe().backend(), in.recipe().section("llm"));
        backendName = backend.name();
        // The round's run id derives from the base run's, not from the recipe values (which
        // now hold the anchors' path inside this output directory), so reruns match.
        String runId = round == 0 ? base.runId()
            : String.format("%016x", Seeds.hash(base.runId() + "/round-" + round));
        StageContext ctx = new StageContext(in.recipe(), in.schema(), in.tasks(), in.phrases(),
            backend, runId, in.seed());
        Path dir = rounds.resolve(String.format("r%03d", round));
        Pipeline p = Pipeline.create(options);
        FileSinks.write(ConvoforgePipeline.build(p, ctx, in.strata(), Job.shards(options)),
            dir.toString(), in.recipe().shards());
        long start = System.nanoTime();
        PipelineResult.State state;
        try {
          state = p.run().waitUntilFinish();
        } catch (RuntimeException e) {
          throw new Job.RunFailedException("round " + round + " failed: " + Job.rootMessage(e),
              e);
        }
        if (state != PipelineResult.State.DONE) {
          throw new Job.RunFailedException("round " + round + " ended in state " + state, null);
        }
        seconds += (System.nanoTime() - start) / 1e9;
        List<String> got = lines(dir, "conversations*.jsonl");
        Files.write(anchors.resolve(String.format("r%03d.jsonl", round)), got);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("round", round);
        r.put("seed", seed);
        r.put("sampled", count);
        r.put("accepted", got.size());
        perRound.add(r);
        accepted += got.size();
        used += count;
        round++;
      }
      int surplus = Math.max(0, accepted - target);
      assemble(rounds, round, surplus, out.staging());
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("recipe", base.recipe().name());
      header.put("run_id", base.runId());
      header.put("seed", base.seed());
      header.put("backend", backendName);
      header.put("runner", options.getRunner().getSimpleName());
      header.put("stages", base.recipe().stages());
      Map<String, Object> report = RunReport.build(out.staging(), header);
      Map<String, Object> topUp = new LinkedHashMap<>();
      topUp.put("target", target);
      topUp.put("accepted", Math.min(accepted, target));
      topUp.put("reached", accepted >= target);
      topUp.put("candidates_used", used);
      topUp.put("max_candidates", budget);
      topUp.put("budget_exhausted", accepted < target);
      topUp.put("surplus", surplus);
      topUp.put("rounds", perRound);
      report.put("top_up", topUp);
      Map<String, Object> timing = new LinkedHashMap<>();
      timing.put("pipeline_seconds", Math.round(seconds * 1000) / 1000.0);
      timing.put("conversations_per_second",
          Math.round(used / Math.max(seconds, 1e-9) * 10) / 10.0);
      report.put("timing", timing);
      OutputDir.delete(rounds);
      return Job.complete(out, report, seconds);
    } catch (IOException e) {
      out.abandon();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      out.abandon();
      throw e;
    }
  }

  /**
   * Merges the rounds into one set of files: every round's accepted (minus the last round's
   * surplus), every round's rejected plus the surplus, and the summed sampled counts.
   */
  static void assemble(Path rounds, int n, int surplus, Path dir) throws IOException {
    Map<String, Long> sampled = new TreeMap<>();
    try (BufferedWriter conv = writer(dir.resolve("conversations-00000-of-00001.jsonl"));
        BufferedWriter rej = writer(dir.resolve("rejected-00000-of-00001.jsonl"))) {
      for (int r = 0; r < n; r++) {
        Path d = rounds.resolve(String.format("r%03d", r));
        List<String> acc = lines(d, "conversations*.jsonl");
        if (r == n - 1 && surplus > 0) {
          List<Conversation> last = new ArrayList<>();
          for (String l : acc) {
            last.add(Json.read(l, Conversation.class));
          }
          last.sort(Comparator.comparingDouble(TopUp::score).reversed()
              .thenComparing(Conversation::id));
          acc = new ArrayList<>();
          for (int i = 0; i < last.size(); i++) {
            Conversation c = last.get(i);
            if (i < last.size() - surplus) {
              acc.add(Json.write(c));
            } else {
              line(rej, Json.write(Rejected.of(c, STAGE, "surplus", "accepted beyond the"
                  + " --accepted target in the last round (lowest score, then largest id)")));
            }
          }
        }
        for (String l : acc) {
          line(conv, l);
        }
        for (String l : lines(d, "rejected*.jsonl")) {
          line(rej, l);
        }
        for (String l : lines(d, FileSinks.SAMPLED_PREFIX + "*.tsv")) {
          int tab = l.lastIndexOf('\t');
          sampled.merge(l.substring(0, tab), Long.parseLong(l.substring(tab + 1)), Long::sum);
        }
      }
    }
    List<String> tsv = new ArrayList<>();
    sampled.forEach((k, v) -> tsv.add(k + "\t" + v));
    Files.write(dir.resolve(FileSinks.SAMPLED_PREFIX + "-00000-of-00001.tsv"), tsv);
  }

  private static double score(Conversation c) {
    return c.judgement() == null ? 0 : c.judgement().score();
  }

  private static BufferedWriter writer(Path p) throws IOException {
    return Files.newBufferedWriter(p, StandardCharsets.UTF_8);
  }

  private static void line(BufferedWriter w, String s) throws IOException {
    w.write(s);
    w.write('\n');
  }

  private static List<String> lines(Path dir, String glob) {
    List<String> out = new ArrayList<>();
    for (Path f : RunReport.files(dir, glob)) {
      RunReport.lines(f, out::add);
    }
    return out;
  }
}
