package io.convoforge.verify;

import io.convoforge.backend.Backends;
import io.convoforge.model.Conversation;
import io.convoforge.model.Json;
import io.convoforge.model.JsonCoder;
import io.convoforge.pipeline.ConvoforgePipeline;
import io.convoforge.pipeline.FileSinks;
import io.convoforge.pipeline.Inputs;
import io.convoforge.pipeline.Job;
import io.convoforge.pipeline.OutputDir;
import io.convoforge.pipeline.RunReport;
import io.convoforge.stages.ConversationFn;
import io.convoforge.stages.EnrichResponses;
import io.convoforge.stages.RejectException;
import io.convoforge.stages.RepairSeedMetadata;
import io.convoforge.stages.StageContext;
import io.convoforge.util.Seeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * What {@code convoforge repair DIR --out DIR2} does: reads an existing dataset's
 * {@code conversations*.jsonl} with TextIO, rejects lines that are not records of this format
 * ({@code read/invalid_record}), runs the {@code repair} and {@code enrich} stages, and writes
 * conversations, rejected records and report.json (with its repair and gates sections) into a
 * staged output directory moved into place at the end, as {@code run} does.
 */
public final class RepairJob {
  private RepairJob() {}

  /** What to repair. {@code beamArgs} go to Beam's PipelineOptions untouched. */
  public record Request(Path in, Path recipe, List<String> overrides, Path out, boolean overwrite,
      List<String> beamArgs) {}

  public static Job.Result run(Request req) {
    DatasetDir.conversationFiles(req.in());
    Inputs inputs = DatasetDir.inputs(req.in(), req.recipe(), req.overrides());
    PipelineOptions options = Job.options(req.beamArgs());
    OutputDir out = OutputDir.prepare(req.out(), req.overwrite());
    try {
      StageContext ctx = new StageContext(inputs.recipe(), inputs.schema(), inputs.tasks(),
          inputs.phrases(), Backends.create("offline", Map.of()), inputs.runId(), inputs.seed());
      Pipeline p = Pipeline.create(options);
      PCollection<Conversation> read = p
          .apply("ReadConversations", TextIO.read().from(
              req.in().toAbsolutePath() + "/conversations*.jsonl"))
          .apply("ParseRecords", ParDo.of(new ParseFn()))
          .setCoder(JsonCoder.of(Conversation.class))
          .apply("Spread", Reshuffle.viaRandomKey());
      WithFailures.Result<PCollection<Conversation>, io.convoforge.model.Rejected> checked =
          read.apply("CheckRecords", new Check());
      ConvoforgePipeline.Outputs staged = ConvoforgePipeline.applyStages(checked.output(), ctx,
          List.of(RepairSeedMetadata.STAGE, EnrichResponses.STAGE));
      PCollection<io.convoforge.model.Rejected> rejected =
          PCollectionList.of(checked.failures()).and(staged.rejected())
              .apply("AllRejected", Flatten.pCollections())
              .setCoder(JsonCoder.of(io.convoforge.model.Rejected.class));
      FileSinks.write(new ConvoforgePipeline.Outputs(read, staged.accepted(), rejected),
          out.staging().toString(), inputs.recipe().shards());
      long start = System.nanoTime();
      PipelineResult.State state;
      try {
        state = p.run().waitUntilFinish();
      } catch (RuntimeException e) {
        throw new Job.RunFailedException("the pipeline failed: " + Job.rootMessage(e), e);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (state != PipelineResult.State.DONE) {
        throw new Job.RunFailedException("the pipeline ended in state " + state, null);
      }
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("recipe", inputs.recipe().name());
      header.put("recipe_file", Path.of(inputs.recipe().file()).toAbsolutePath().toString());
      header.put("repaired_from", req.in().toAbsolutePath().toString());
      header.put("run_id", inputs.runId());
      header.put("seed", inputs.seed());
      header.put("runner", options.getRunner().getSimpleName());
      header.put("stages", List.of(RepairSeedMetadata.STAGE, EnrichResponses.STAGE));
      Map<String, Object> report = RunReport.build(out.staging(), header);
      report.put("repair", RepairReport.build(out.staging()));
      report.put("gates", Gates.evaluate(out.staging(), inputs).toMap());
      Map<String, Object> timing = new LinkedHashMap<>();
      timing.put("pipeline_seconds", Math.round(seconds * 1000) / 1000.0);
      report.put("timing", timing);
      return Job.complete(out, report, seconds);
    } catch (IOException e) {
      out.abandon();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      out.abandon();
      throw e;
    }
  }

  /** A JSON line to a record; a line that is not one becomes a stub flagged for rejection. */
  static final class ParseFn extends DoFn<String, Conversation> {
    @ProcessElement
    public void process(@Element String line, OutputReceiver<Conversation> out) {
      if (line.isBlank()) {
        return;
      }
      String problem;
      try {
        Conversation c = Json.read(line, Conversation.class);
        if (c.id() != null && c.turns() != null && c.outcome() != null) {
          out.output(c);
          return;
        }
        problem = "a record needs id, outcome and turns";
      } catch (RuntimeException e) {
        problem = "not a conversation record: " + Job.rootMessage(e);
      }
      String id = String.format("line-%016x", Seeds.hash(line));
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("invalid_record", problem);
      meta.put("raw", line.length() > 2000 ? line.substring(0, 2000) : line);
      out.output(new Conversation(id, null, "?", null, "?", null, null, null, null, null, meta,
          null));
    }
  }

  /** Rejects the stubs of unreadable lines ({@code read/invalid_record}). */
  static final class Check extends io.convoforge.stages.ConversationStage {
    Check() {
      super("CheckRecords");
    }

    @Override
    public WithFailures.Result<PCollection<Conversation>, io.convoforge.model.Rejected> expand(
        PCollection<Conversation> input) {
      return applyFn(input, "CheckRecords", new CheckFn());
    }
  }

  static final class CheckFn extends ConversationFn {
    CheckFn() {
      super("read");
    }

    @Override
    protected Conversation apply(Conversation c) throws RejectException {
      Object problem = c.metadata().get("invalid_record");
      if (problem != null) {
        throw new RejectException("invalid_record", String.valueOf(problem),
            String.valueOf(c.metadata().get("raw")));
      }
      return c;
    }
  }
}
