package io.convoforge.family.scenario.stages;

import io.convoforge.core.model.Record;
import io.convoforge.core.run.OutputDir;
import io.convoforge.family.scenario.ScenarioCodec;
import io.convoforge.family.scenario.ScenarioPlan;
import io.convoforge.family.scenario.batch.BatchFile;
import io.convoforge.family.scenario.batch.BatchFolder;
import io.convoforge.family.scenario.batch.BatchWriter;
import io.convoforge.family.scenario.batch.MessagesCsv;
import io.convoforge.family.scenario.model.ScenarioCall;
import io.convoforge.family.scenario.model.Transcript;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The sink of the run's accepted calls, grouped by batch: one folder per batch under {@code
 * <dir>/batches/} ({@link BatchFolder}: {@code batch.json}, {@code conversations/<id>.json},
 * {@code preview.txt}), its calls in slot order and rendered by the family's codec (the same JSON
 * as {@code conversations*.jsonl}), and {@code <dir>/messages.csv}, the flat per-message table
 * for BI tools ({@link MessagesCsv}: header, then every message, batch by batch in id order and
 * call by call in slot order). {@code dir} is the run's staging directory, so everything becomes
 * visible with the rest of the run, all or nothing, when it is committed.
 *
 * <p>One grouping serves both: each batch's writer also writes the batch's rows to a fragment
 * ({@code <dir>/.messages/<batch>.csv}); once every batch is written, the fragments are joined
 * into messages.csv in id order and removed. A retried bundle rewrites the same bytes. A batch
 * none of whose calls was accepted gets no folder (and no rows). Local file systems only (it
 * writes with {@code java.nio}).
 *
 * <p>In: accepted records. Out: the number of batches written (once, when messages.csv is
 * complete).
 */
public final class WriteBatches
    extends PTransform<PCollection<Record<ScenarioCall>>, PCollection<Long>> {
  public static final String MESSAGES = "messages.csv";
  static final String FRAGMENTS = ".messages";
  private final ScenarioPlan plan;
  private final String promptFile;
  private final String dir;

  private WriteBatches(ScenarioPlan plan, String promptFile, String dir) {
    super("WriteBatches");
    this.plan = plan;
    this.promptFile = promptFile;
    this.dir = dir;
  }

  /** Batches of {@code plan} (its spec's file name {@code promptFile}) under {@code dir}. */
  public static WriteBatches to(String dir, ScenarioPlan plan, String promptFile) {
    return new WriteBatches(plan, promptFile, dir);
  }

  @Override
  public PCollection<Long> expand(PCollection<Record<ScenarioCall>> accepted) {
    return accepted
        .apply("KeyByBatch", WithKeys.of((Record<ScenarioCall> r) -> r.slice(ScenarioCodec.BATCH))
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ScenarioCodec.CODER))
        .apply("GroupByBatch", GroupByKey.create())
        .apply("WriteFolder", ParDo.of(new WriteFolderFn(this)))
        .setCoder(StringUtf8Coder.of())
        .apply("CountBatches", Count.globally())
        .apply("JoinMessages", ParDo.of(new JoinMessagesFn(dir)));
  }

  /** One batch: its folder, and its rows of messages.csv as a fragment. Out: the batch id. */
  static final class WriteFolderFn
      extends DoFn<KV<String, Iterable<Record<ScenarioCall>>>, String> {
    private final WriteBatches spec;
    private final ScenarioCodec codec = new ScenarioCodec();

    WriteFolderFn(WriteBatches spec) {
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
        Path fragments = Files.createDirectories(Path.of(spec.dir, FRAGMENTS));
        try (Writer w = Files.newBufferedWriter(fragments.resolve(batch.getKey() + ".csv"),
            StandardCharsets.UTF_8)) {
          MessagesCsv.write(w, transcripts, false);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("writing batch " + batch.getKey(), e);
      }
      out.output(batch.getKey());
    }
  }

  /** After every batch: messages.csv from the fragments, in batch id order. */
  static final class JoinMessagesFn extends DoFn<Long, Long> {
    private final String dir;

    JoinMessagesFn(String dir) {
      this.dir = dir;
    }

    @ProcessElement
    public void process(@Element Long batches, OutputReceiver<Long> out) {
      Path fragments = Path.of(dir, FRAGMENTS);
      try (OutputStream o = Files.newOutputStream(Path.of(dir, MESSAGES))) {
        StringBuilder header = new StringBuilder();
        MessagesCsv.write(header, List.of(), true);
        o.write(header.toString().getBytes(StandardCharsets.UTF_8));
        if (Files.isDirectory(fragments)) {
          try (Stream<Path> s = Files.list(fragments)) {
            for (Path f : s.sorted().toList()) {
              Files.copy(f, o);
            }
          }
          OutputDir.delete(fragments);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("writing " + MESSAGES, e);
      }
      out.output(batches);
    }
  }
}
