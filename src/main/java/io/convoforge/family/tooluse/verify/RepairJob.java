package io.convoforge.family.tooluse.verify;

import io.convoforge.core.family.RunContext;
import io.convoforge.core.llm.OfflineBackend;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCoder;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.run.ConvoforgePipeline;
import io.convoforge.core.run.DatasetDir;
import io.convoforge.core.run.FileSinks;
import io.convoforge.core.run.Inputs;
import io.convoforge.core.run.Job;
import io.convoforge.core.run.OutputDir;
import io.convoforge.core.run.Summaries;
import io.convoforge.core.stages.RecordFn;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import io.convoforge.core.util.Seeds;
import io.convoforge.family.tooluse.ToolUseCodec;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.ToolUseRun;
import io.convoforge.family.tooluse.model.ToolUse;
import io.convoforge.family.tooluse.stages.EnrichResponses;
import io.convoforge.family.tooluse.stages.RepairSeedMetadata;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;

/**
 * What {@code convoforge repair DIR --out DIR2} does: reads an existing dataset's {@code
 * conversations*.jsonl} with TextIO (stage {@code read}), rejects lines that are not records of
 * this format ({@code parse/invalid_record}), runs the {@code repair} and {@code enrich} stages,
 * and ends as {@code run} does ({@link Job#complete}): conversations, rejected records and
 * report.json (funnel, repair and gates sections) in a staged directory moved into place.
 */
public final class RepairJob {
  static final String READ = "read";
  static final String PARSE = "parse";

  private RepairJob() {}

  /** What to repair. {@code beamArgs} go to Beam's PipelineOptions untouched. */
  public record Request(Path in, Path recipe, List<String> overrides, Path out, boolean overwrite,
      List<String> beamArgs) {}

  public static Job.Result run(Request req) {
    DatasetDir.conversationFiles(req.in());
    Inputs loaded = DatasetDir.inputs(req.in(), req.recipe(), req.overrides());
    ToolUseRun run = ToolUseRun.of(loaded);
    // Repair replays and executes; it never calls a model, whatever the recipe's backend.
    Inputs inputs = new Inputs(loaded.recipe(), loaded.family(), run, new RunContext(
        loaded.recipe(), OfflineBackend.INSTANCE, loaded.context().runId(),
        loaded.context().seed()));
    ToolUseContext ctx = run.context(inputs.context());
    PipelineOptions options = Job.options(req.beamArgs());
    OutputDir out = OutputDir.prepare(req.out(), req.overwrite());
    try {
      Pipeline p = Pipeline.create(options);
      PCollection<Record<ToolUse>> read = p
          .apply("ReadConversations", TextIO.read().from(
              req.in().toAbsolutePath() + "/" + DatasetDir.ACCEPTED))
          .apply("ParseRecords", ParDo.of(new ParseFn()))
          .setCoder(RecordCoder.of(ToolUse.class))
          .apply("Spread", Reshuffle.viaRandomKey());
      Map<String, RecordStage<?, ?>> stages = new LinkedHashMap<>();
      stages.put(PARSE, new Check());
      stages.put(RepairSeedMetadata.STAGE, RepairSeedMetadata.using(ctx));
      stages.put(EnrichResponses.STAGE, EnrichResponses.using(ctx));
      ConvoforgePipeline.Outputs outputs = ConvoforgePipeline.applyStages(read, READ, stages,
          Map.of());
      FileSinks.write(outputs, run, out.staging().toString(), inputs.recipe().shards());
      Summaries.write(outputs.accepted(), outputs.rejected(), run, inputs.context(),
          out.staging().toString(), null);
      Job.Ran ran = Job.execute(p, "the pipeline");
      Map<String, Object> header = Job.header(inputs, options);
      header.put("stages", List.of(READ, PARSE, RepairSeedMetadata.STAGE, EnrichResponses.STAGE));
      header.put("repaired_from", req.in().toAbsolutePath().toString());
      return Job.complete(inputs, out, header, List.of(ran.result()),
          outputs.stageOfTransform(), ran.seconds(), Map.of());
    } catch (RuntimeException e) {
      out.abandon();
      throw e;
    }
  }

  /** A JSON line to a record; a line that is not one becomes a stub flagged for rejection. */
  static final class ParseFn extends DoFn<String, Record<ToolUse>> {
    private final ToolUseCodec codec = new ToolUseCodec();

    @ProcessElement
    @SuppressWarnings("unchecked")
    public void process(@Element String line, OutputReceiver<Record<ToolUse>> out) {
      if (line.isBlank()) {
        return;
      }
      String problem;
      try {
        out.output((Record<ToolUse>) codec.parse(Json.parse(line)));
        return;
      } catch (IllegalArgumentException e) {
        problem = e.getMessage();
      } catch (RuntimeException e) {
        problem = "not a conversation record: " + Job.rootMessage(e);
      }
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("invalid_record", problem);
      meta.put("raw", line.length() > 2000 ? line.substring(0, 2000) : line);
      out.output(Record.of(String.format("line-%016x", Seeds.hash(line)), null,
          ToolUseCodec.KIND, Map.of(), new ToolUse(null, null, null, meta), Map.of()));
    }
  }

  /** Rejects the stubs of unreadable lines ({@code parse/invalid_record}). */
  static final class Check extends RecordStage<ToolUse, ToolUse> {
    Check() {
      super("CheckRecords");
    }

    @Override
    public StageResult<ToolUse> expand(PCollection<Record<ToolUse>> input) {
      return applyFn(input, "CheckRecords", new CheckFn(), null);
    }
  }

  static final class CheckFn extends RecordFn<ToolUse, ToolUse> {
    CheckFn() {
      super(PARSE);
    }

    @Override
    protected void process(Record<ToolUse> r, Emitter<ToolUse> emit) throws RejectException {
      Object problem = r.payload().metadata().get("invalid_record");
      if (problem != null) {
        throw new RejectException("invalid_record", String.valueOf(problem),
            String.valueOf(r.payload().metadata().get("raw")));
      }
      emit.output(r);
    }
  }
}
