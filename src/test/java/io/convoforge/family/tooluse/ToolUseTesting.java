package io.convoforge.family.tooluse;

import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCoder;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.ToolUse;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/** Test helpers: conversations into and out of tool-use record collections. */
public final class ToolUseTesting {
  public static final RecordCoder<ToolUse> CODER = RecordCoder.of(ToolUse.class);
  private static int created;

  private ToolUseTesting() {}

  /** The records of {@code conversations}, as a collection. */
  public static PCollection<Record<ToolUse>> records(Pipeline p, Conversation... conversations) {
    List<Record<ToolUse>> in = new ArrayList<>();
    for (Conversation c : conversations) {
      in.add(ToolUseCodec.record(c, null));
    }
    return p.apply("Create" + created++, Create.of(in).withCoder(CODER));
  }

  /** The conversations of records, sorted by id. */
  public static List<Conversation> view(Iterable<Record<ToolUse>> records) {
    List<Conversation> out = new ArrayList<>();
    records.forEach(r -> out.add(ToolUseCodec.view(r)));
    out.sort((a, b) -> a.id().compareTo(b.id()));
    return out;
  }

  public static PCollection<Record<ToolUse>> union(PCollection<Record<ToolUse>> a,
      PCollection<Record<ToolUse>> b) {
    return PCollectionList.of(a).and(b).apply(Flatten.pCollections()).setCoder(CODER);
  }
}
