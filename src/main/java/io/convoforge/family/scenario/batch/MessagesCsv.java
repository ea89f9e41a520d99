package io.convoforge.family.scenario.batch;

import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.model.Transcript;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The flat per-message table for BI tools ({@code messages.csv}): one row per message, columns
 * {@value #COLUMNS}, RFC 4180 quoting (texts may hold commas, quotes and newlines), UTF-8, CRLF
 * line ends, {@code index} 0-based within the call, {@code timestamp} empty without timing.
 */
public final class MessagesCsv {
  public static final String COLUMNS =
      "conversation_id,batch_id,prompt_id,scenario_id,role,index,timestamp,text";
  private static final CSVFormat FORMAT = CSVFormat.RFC4180;

  private MessagesCsv() {}

  /** Writes (replacing) {@code file} with the header and the rows of {@code conversations}. */
  public static void write(Path file, Iterable<Transcript> conversations) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(w, conversations, true);
    }
  }

  /** Appends the rows of {@code conversations}, after the header when {@code header}. */
  public static void write(Appendable out, Iterable<Transcript> conversations, boolean header)
      throws IOException {
    CSVPrinter p = new CSVPrinter(out, FORMAT);
    if (header) {
      p.printRecord((Object[]) COLUMNS.split(","));
    }
    for (Transcript t : conversations) {
      for (int i = 0; i < t.messages().size(); i++) {
        Message m = t.messages().get(i);
        p.printRecord(t.id(), t.batchId(), t.promptId(), t.scenario().id(),
            m.role() == null ? "" : m.role().wire(), i, m.timestamp() == null ? "" : m.timestamp(),
            m.text());
      }
    }
    p.flush();
  }
}
