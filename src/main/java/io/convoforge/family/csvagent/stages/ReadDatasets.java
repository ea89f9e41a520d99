package io.convoforge.family.csvagent.stages;

import io.convoforge.core.family.RunContext;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCoder;
import io.convoforge.family.csvagent.CsvAgentCodec;
import io.convoforge.family.csvagent.DatasetRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The source stage ({@code datasets}): one record per CSV the recipe names, checked by the
 * launcher before the pipeline is built. Id {@code ds_<16 hex of its sha256>}, slice {@code
 * dataset} (its short name), payload its {@link DatasetRef}. Never fails; the fan-out into
 * questions (and the Reshuffle before the slow episodes) spreads the work.
 */
public final class ReadDatasets extends PTransform<PBegin, PCollection<Record<DatasetRef>>> {
  public static final String STAGE = "datasets";
  public static final RecordCoder<DatasetRef> CODER = RecordCoder.of(DatasetRef.class);
  private final RunContext ctx;
  private final List<DatasetRef> datasets;

  private ReadDatasets(RunContext ctx, List<DatasetRef> datasets) {
    super("ReadDatasets");
    this.ctx = ctx;
    this.datasets = List.copyOf(datasets);
  }

  public static ReadDatasets of(RunContext ctx, List<DatasetRef> datasets) {
    return new ReadDatasets(ctx, datasets);
  }

  @Override
  public PCollection<Record<DatasetRef>> expand(PBegin input) {
    List<Record<DatasetRef>> records = new ArrayList<>();
    Map<String, Object> lineage = ctx.lineage();
    for (DatasetRef d : datasets) {
      records.add(Record.of(d.id(), ctx.recipe().name(), CsvAgentCodec.KIND,
          Map.of(CsvAgentCodec.DATASET, d.name()), d, lineage));
    }
    return input.apply("Datasets", Create.of(records).withCoder(CODER));
  }
}
