package io.convoforge.family.scenario.stages;

import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCoder;
import io.convoforge.family.scenario.ScenarioCodec;
import io.convoforge.family.scenario.ScenarioPlan;
import io.convoforge.family.scenario.batch.BatchFile;
import io.convoforge.family.scenario.batch.BatchFolder;
import io.convoforge.family.scenario.batch.BatchWriter;
import io.convoforge.family.scenario.model.ScenarioCall;
import io.convoforge.family.scenario.model.Transcript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A sink of the run's accepted calls: one folder per batch under {@code <dir>/batches/}
 * ({@link BatchFolder}: {@code batch.json}, {@code conversations/<id>.json}, {@code
 * preview.txt}), its conversations in slot order, rendered by the family's codec (the same JSON
 * as the run's {@code conversations*.jsonl}). {@code dir} is the run's staging directory, so the
 * folders become visible with the rest of the run, all or nothing, when it is committed; a
 * retried bundle rewrites the same bytes. A batch none of whose calls was accepted gets no
 * folder. Local file systems only (it writes with {@code java.nio}).
 *
 * <p>In: accepted records. Out: the ids of the batches written.
 */
public final class WriteBatchFolders
    extends PTransform<PCollection<Record<ScenarioCall>>, PCollection<String>> {
  private final ScenarioPlan plan;
  private final String promptFile;
  private final String dir;

  private WriteBatchFolders(ScenarioPlan plan, String promptFile, String dir) {
    super("WriteBatchFolders");
    this.plan = plan;
    this.promptFile = promptFile;
    this.dir = dir;
  }

  /** Batch folders of {@code plan} (its spec's file name {@code promptFile}) under {@code dir}. */
  public static WriteBatchFolders to(String dir, ScenarioPlan plan, String promptFile) {
    return new WriteBatchFolders(plan, promptFile, dir);
  }

  @Override
  public PCollection<String> expand(PCollection<Record<ScenarioCall>> accepted) {
    return accepted
        .apply("KeyByBatch", WithKeys.of((Record<ScenarioCall> r) -> r.slice(ScenarioCodec.BATCH))
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of(ScenarioCall.class)))
        .apply("GroupByBatch", GroupByKey.create())
        .apply("WriteFolder", ParDo.of(new WriteFn(this)))
        .setCoder(StringUtf8Coder.of());
  }

  static final class WriteFn extends DoFn<KV<String, Iterable<Record<ScenarioCall>>>, String> {
    private final WriteBatchFolders spec;
    private final ScenarioCodec codec = new ScenarioCodec();

    WriteFn(WriteBatchFolders spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Record<ScenarioCall>>> batch,
        OutputReceiver<String> out) {
      List<Record<ScenarioCall>> calls = new ArrayList<>();
      batch.getValue().forEach(calls::add);
      calls.sort(Comparator.comparingInt(r -> r.payload().slot()));
      List<Transcript> transcripts = new ArrayList<>(calls.size());
      for (Record<ScenarioCall> r : calls) {
        transcripts.add(codec.render(r));
      }
      int index = calls.get(0).payload().batchIndex();
      BatchFile file = BatchFile.of(spec.plan, index, spec.promptFile, transcripts);
      try {
        BatchFolder.write(Path.of(spec.dir, BatchWriter.BATCHES, batch.getKey()), file);
      } catch (IOException e) {
        throw new UncheckedIOException("writing batch " + batch.getKey(), e);
      }
      out.output(batch.getKey());
    }
  }
}
