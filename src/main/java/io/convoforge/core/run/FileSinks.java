package io.convoforge.core.run;

import io.convoforge.core.family.FamilyRun;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCodec;
import io.convoforge.core.model.Rejected;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes a run's outputs into a directory: {@code conversations-*.jsonl} (accepted records in
 * the family's output format), {@code rejected-*.jsonl} (every rejection), {@code _funnel-*.tsv}
 * (the funnel counts, read back by the report to prove that nothing was lost), and whatever the
 * family adds ({@link FamilyRun#sinks}).
 */
public final class FileSinks {
  private FileSinks() {}

  @SuppressWarnings("unchecked")
  public static void write(ConvoforgePipeline.Outputs out, FamilyRun run, String dir,
      int shards) {
    TextIO.Write conversations = TextIO.write().to(dir + "/conversations").withSuffix(".jsonl");
    TextIO.Write rejected = TextIO.write().to(dir + "/rejected").withSuffix(".jsonl");
    if (shards > 0) {
      conversations = conversations.withNumShards(shards);
      rejected = rejected.withNumShards(shards);
    }
    RecordCodec codec = run.family().codec();
    ((PCollection<Record<?>>) out.accepted())
        .apply("RecordToJson", MapElements.into(TypeDescriptors.strings())
            .via((Record<?> r) -> Json.write(codec.render(r))))
        .apply("WriteConversations", conversations);
    out.rejected()
        .apply("RejectedToJson",
            MapElements.into(TypeDescriptors.strings()).via((Rejected r) -> Json.write(r)))
        .apply("WriteRejected", rejected);
    out.funnel()
        .apply("FunnelToTsv", MapElements.into(TypeDescriptors.strings())
            .via((KV<String, Long> kv) -> kv.getKey() + "\t" + kv.getValue()))
        .apply("WriteFunnel",
            TextIO.write().to(dir + "/" + Funnel.PREFIX).withSuffix(".tsv").withNumShards(1));
    run.sinks(out.stages(), dir);
  }
}
