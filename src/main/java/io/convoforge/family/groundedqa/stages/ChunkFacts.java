package io.convoforge.family.groundedqa.stages;

import io.convoforge.core.family.RunContext;
import io.convoforge.core.model.Record;
import io.convoforge.family.groundedqa.Chunk;
import io.convoforge.family.groundedqa.GroundedQa;
import io.convoforge.family.groundedqa.GroundedQaContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The source stage ({@code chunk}): the facts document's chunks (cut by the launcher, following
 * headings, then paragraphs, under {@code chunking.max_chars}) as records whose slice is the
 * chunk's topic ({@code heading}) and whose lineage names the document and its {@code as_of}
 * date. Spread over the workers; never fails an element.
 */
public final class ChunkFacts extends PTransform<PBegin, PCollection<Record<GroundedQa>>> {
  public static final String STAGE = "chunk";
  /** Slice key: the chunk's topic. */
  public static final String HEADING = "heading";
  private final List<Record<GroundedQa>> records;

  private ChunkFacts(List<Record<GroundedQa>> records) {
    super("ChunkFacts");
    this.records = records;
  }

  /** The chunks of a document ({@code facts}: its path, for lineage) for the run {@code ctx}. */
  public static ChunkFacts of(GroundedQaContext ctx, List<Chunk> chunks, String facts) {
    RunContext run = ctx.run();
    Map<String, Object> lineage = run.lineage();
    lineage.put("facts", facts);
    lineage.put("as_of", ctx.asOf().toString());
    List<Record<GroundedQa>> out = new ArrayList<>();
    for (Chunk c : chunks) {
      out.add(Record.of(c.id(), run.recipe().name(), run.kind(), Map.of(HEADING, c.topic()),
          GroundedQa.of(c), lineage));
    }
    return new ChunkFacts(out);
  }

  @Override
  public PCollection<Record<GroundedQa>> expand(PBegin input) {
    return input.apply("Chunks", Create.of(records).withCoder(GroundedQaContext.CODER))
        .apply("Spread", Reshuffle.viaRandomKey())
        .setCoder(GroundedQaContext.CODER);
  }
}
