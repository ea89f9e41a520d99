package io.convoforge.core.run;

import io.convoforge.core.family.RunContext;
import io.convoforge.core.input.InputException;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCodec;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.util.Seeds;
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
 * "Exactly N that pass" ({@code run --accepted N}): rounds of the whole recipe until N records
 * are accepted or the candidate budget ({@code --max-candidates}, default 5 x N) is spent. Round
 * 0 samples N with the run seed (so it is the plain run of N); each later round samples fresh
 * elements with a seed derived from (run seed, round), hence new ids, sized by the pass rate so
 * far; its dedup stage is anchored on everything accepted before (recipe key {@code
 * dedup.anchors}), so near-duplicates are removed across rounds too. When the last round
 * overshoots, its least preferred acceptances (lower judge score, then larger id) become rejected
 * records of stage {@code topup}, reason {@code surplus}: the funnel gains a {@code topup} stage,
 * so nothing is lost. The report's {@code top_up} section says the target, the candidates used,
 * the rounds and whether the budget ran out. Deterministic for a seed. Ends through {@link
 * Job#complete}, like a plain run.
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
    if (!Locations.isLocal(req.outLocation())) {
      throw new InputException("command line", "--out", "--accepted assembles its rounds in a"
          + " local directory; give a local --out (or run --count N to " + req.outLocation()
          + ")");
    }
    int budget = req.maxCandidates() != null ? req.maxCandidates() : 5 * target;
    if (budget < 1) {
      throw new InputException("command line", "--max-candidates", "must be at least 1");
    }
    Inputs base = Inputs.load(req.recipe(), req.overrides(), target);
    PipelineOptions options = Job.options(req.beamArgs(), Job.blockingStages(base));
    OutputDir out = OutputDir.prepare(req.outLocation(), req.overwrite());
    try {
      Path rounds = out.staging().resolve(ROUNDS);
      Path anchors = rounds.resolve("anchors");
      Files.createDirectories(anchors);
      int accepted = 0;
      int used = 0;
      int round = 0;
      double seconds = 0;
      List<Map<String, Object>> perRound = new ArrayList<>();
      List<PipelineResult> results = new ArrayList<>();
      Map<String, String> stageOf = Map.of();
      while (accepted < target && used < budget) {
        int need = target - accepted;
        double rate = used == 0 ? 1.0 : Math.max(0.05, (double) accepted / used);
        int count = Math.min(budget - used, round == 0 ? need
            : (int) Math.ceil(need / rate * 1.1));
        List<String> overrides = new ArrayList<>(req.overrides());
        long seed = round == 0 ? base.context().seed()
            : Seeds.of(base.context().seed(), "round-" + round, STAGE) & Long.MAX_VALUE;
        overrides.add("seed=" + seed);
        if (round > 0) {
          overrides.add("dedup.anchors=" + anchors.toAbsolutePath() + "/*.jsonl");
        }
        Inputs loaded = Inputs.load(req.recipe(), overrides, count);
        // The round's run id derives from the base run's, not from the recipe values (which
        // hold the seed and, after round 0, the anchors' path inside this output directory),
        // so reruns match and round 0 is the plain run of its count.
        String runId = round == 0 ? base.context().runId()
            : String.format("%016x", Seeds.hash(base.context().runId() + "/round-" + round));
        Inputs in = new Inputs(loaded.recipe(), loaded.family(), loaded.run(),
            new RunContext(loaded.recipe(), loaded.context().backend(), runId, seed));
        Path dir = rounds.resolve(String.format("r%03d", round));
        Pipeline p = Pipeline.create(options);
        ConvoforgePipeline.Outputs o = ConvoforgePipeline.build(p, in, Job.shards(options));
        FileSinks.write(o, in.run(), dir.toString(), in.recipe().shards());
        Job.Ran ran = Job.execute(p, "round " + round, in.recipe().stages(), null);
        results.add(ran.result());
        stageOf = o.stageOfTransform();
        seconds += ran.seconds();
        List<String> got = lines(dir, DatasetDir.ACCEPTED);
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
      assemble(rounds, round, surplus, out.staging(), base.family().codec());
      // The rounds' own summaries do not know the surplus cut: summarize the assembled files.
      results.add(Job.execute(Summaries.over(out.staging(), base, options, out.staging()),
          "summarizing the rounds").result());
      Map<String, Object> topUp = new LinkedHashMap<>();
      topUp.put("target", target);
      topUp.put("accepted", Math.min(accepted, target));
      topUp.put("reached", accepted >= target);
      topUp.put("candidates_used", used);
      topUp.put("max_candidates", budget);
      topUp.put("budget_exhausted", accepted < target);
      topUp.put("surplus", surplus);
      topUp.put("rounds", perRound);
      OutputDir.delete(rounds);
      return Job.complete(base, out, Job.header(base, options), results, stageOf, seconds,
          Map.of("top_up", topUp));
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
   * surplus), every round's rejected plus the surplus, and the summed funnel with its {@code
   * topup} stage.
   */
  static void assemble(Path rounds, int n, int surplus, Path dir, RecordCodec codec)
      throws IOException {
    Map<String, Long> funnel = new TreeMap<>();
    long lastOut = 0;
    try (BufferedWriter conv = writer(dir.resolve("conversations-00000-of-00001.jsonl"));
        BufferedWriter rej = writer(dir.resolve("rejected-00000-of-00001.jsonl"))) {
      for (int r = 0; r < n; r++) {
        Path d = rounds.resolve(String.format("r%03d", r));
        List<String> acc = lines(d, DatasetDir.ACCEPTED);
        lastOut += acc.size();
        if (r == n - 1 && surplus > 0) {
          List<Record<?>> last = new ArrayList<>();
          for (String l : acc) {
            last.add(codec.parse(Json.parse(l)));
          }
          last.sort(Comparator.comparingDouble(TopUp::score).reversed()
              .thenComparing(Record::id));
          acc = new ArrayList<>();
          for (int i = 0; i < last.size(); i++) {
            Record<?> c = last.get(i);
            if (i < last.size() - surplus) {
              acc.add(Json.write(codec.render(c)));
            } else {
              line(rej, Json.write(Rejected.of(c, STAGE, "surplus", "accepted beyond the"
                  + " --accepted target in the last round (lowest score, then largest id)")));
            }
          }
        }
        for (String l : acc) {
          line(conv, l);
        }
        for (String l : lines(d, DatasetDir.REJECTED)) {
          line(rej, l);
        }
        Funnel.read(d).forEach((k, v) -> funnel.merge(k, v, Long::sum));
      }
    }
    int next = Funnel.entries(funnel).size();
    funnel.put(next + "\t" + STAGE + "\t" + Funnel.OUT, lastOut - surplus);
    if (surplus > 0) {
      funnel.put(next + "\t" + STAGE + "\t" + Funnel.REJECTED + "\tsurplus", (long) surplus);
    }
    List<String> tsv = new ArrayList<>();
    funnel.forEach((k, v) -> tsv.add(k + "\t" + v));
    Files.write(dir.resolve(Funnel.PREFIX + "-00000-of-00001.tsv"), tsv);
  }

  private static double score(Record<?> r) {
    return r.judgement() == null ? 0 : r.judgement().score();
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
    for (Path f : DatasetDir.files(dir, glob)) {
      DatasetDir.lines(f, out::add);
    }
    return out;
  }
}
