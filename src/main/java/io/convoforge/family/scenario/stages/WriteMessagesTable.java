package io.convoforge.family.scenario.stages;

import io.convoforge.core.model.Record;
import io.convoforge.family.scenario.ScenarioCodec;
import io.convoforge.family.scenario.batch.MessagesCsv;
import io.convoforge.family.scenario.model.ScenarioCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A sink of the run's accepted calls: {@code <dir>/messages.csv}, the flat per-message table for
 * BI tools ({@link MessagesCsv}: header {@value MessagesCsv#COLUMNS}, RFC 4180 quoting, CRLF,
 * written with Commons CSV), one file. The rows of a conversation are together and in order;
 * conversations come in no particular order (sort by {@code conversation_id, index}).
 *
 * <p>In: accepted records. Out: the file (in the run's staging directory, committed with it).
 */
public final class WriteMessagesTable extends PTransform<PCollection<Record<ScenarioCall>>,
    PDone> {
  public static final String FILE = "messages";
  private final String dir;

  private WriteMessagesTable(String dir) {
    super("WriteMessagesTable");
    this.dir = dir;
  }

  public static WriteMessagesTable to(String dir) {
    return new WriteMessagesTable(dir);
  }

  @Override
  public PDone expand(PCollection<Record<ScenarioCall>> accepted) {
    ScenarioCodec codec = new ScenarioCodec();
    return accepted
        .apply("CallToRows", MapElements.into(TypeDescriptors.strings())
            .via((Record<ScenarioCall> r) -> rows(codec, r)))
        .apply("WriteCsv", TextIO.write().to(dir + "/" + FILE).withSuffix(".csv")
            .withoutSharding().withHeader(MessagesCsv.COLUMNS)
            .withDelimiter(new char[] {'\r', '\n'}));
  }

  /** A call's rows, CRLF between them (the writer ends the last). */
  static String rows(ScenarioCodec codec, Record<ScenarioCall> r) {
    StringBuilder sb = new StringBuilder();
    try {
      MessagesCsv.write(sb, List.of(codec.render(r)), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int n = sb.length();
    if (n >= 2 && sb.charAt(n - 2) == '\r' && sb.charAt(n - 1) == '\n') {
      sb.setLength(n - 2);
    }
    return sb.toString();
  }
}
