package io.convoforge.pipeline;

import io.convoforge.model.Conversation;
import io.convoforge.model.Json;
import io.convoforge.model.Rejected;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes a run's outputs as JSON lines into a directory: {@code conversations-*.jsonl},
 * {@code rejected-*.jsonl}, and {@code _sampled-*.tsv} (sampled counts per task, chain and
 * outcome, read back by the report to prove that nothing was lost).
 */
public final class FileSinks {
  public static final String SAMPLED_PREFIX = "_sampled";

  private FileSinks() {}

  public static void write(ConvoforgePipeline.Outputs out, String dir, int shards) {
    TextIO.Write conversations = TextIO.write().to(dir + "/conversations").withSuffix(".jsonl");
    TextIO.Write rejected = TextIO.write().to(dir + "/rejected").withSuffix(".jsonl");
    if (shards > 0) {
      conversations = conversations.withNumShards(shards);
      rejected = rejected.withNumShards(shards);
    }
    out.accepted()
        .apply("ConversationToJson",
            MapElements.into(TypeDescriptors.strings()).via((Conversation c) -> Json.write(c)))
        .apply("WriteConversations", conversations);
    out.rejected()
        .apply("RejectedToJson",
            MapElements.into(TypeDescriptors.strings()).via((Rejected r) -> Json.write(r)))
        .apply("WriteRejected", rejected);
    out.sampled()
        .apply("SampledKey",
            MapElements.into(TypeDescriptors.strings()).via((Conversation c) ->
                c.taskId() + "\t" + (c.chainId() == null ? "" : c.chainId()) + "\t"
                    + c.outcome()))
        .apply("CountSampled", Count.perElement())
        .apply("SampledToTsv",
            MapElements.into(TypeDescriptors.strings())
                .via((KV<String, Long> kv) -> kv.getKey() + "\t" + kv.getValue()))
        .apply("WriteSampled",
            TextIO.write().to(dir + "/" + SAMPLED_PREFIX).withSuffix(".tsv").withNumShards(1));
  }
}
