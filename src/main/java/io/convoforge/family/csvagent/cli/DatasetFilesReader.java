package io.convoforge.family.csvagent.cli;

import io.convoforge.core.input.InputException;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCoder;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.run.DatasetDir;
import io.convoforge.family.csvagent.CsvAgentCodec;
import io.convoforge.family.csvagent.CsvItem;
import io.convoforge.family.csvagent.Question;
import io.convoforge.family.csvagent.QuestionsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a csv-agent dataset directory for the commands: its questions ({@code
 * questions*.jsonl}, or one questions file), its accepted episodes through the family's codec,
 * and the records its stages rejected that carry a question (traces, unverified questions).
 * Lists come sorted by id. A directory without those files is an {@link InputException}.
 */
final class DatasetFilesReader {
  private static final RecordCoder<CsvItem> CODER = RecordCoder.of(CsvItem.class);

  private DatasetFilesReader() {}

  /** A rejected record with a question: the record as the stage received it, and why. */
  record RejectedItem(Record<CsvItem> record, String stage, String reason, String detail) {}

  static List<Question> questions(Path dirOrFile) {
    List<Path> files = Files.isRegularFile(dirOrFile) ? List.of(dirOrFile)
        : DatasetDir.files(dirOrFile, "questions*.jsonl");
    if (files.isEmpty()) {
      throw new InputException(dirOrFile.toString(), null, "holds no questions*.jsonl; expected"
          + " a directory written by 'convoforge run' of a csv-agent recipe, or a questions file");
    }
    List<Question> out = new ArrayList<>();
    for (QuestionsFile.Line l : QuestionsFile.read(files)) {
      out.add(l.question());
    }
    out.sort(Comparator.comparing(Question::id));
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<Record<CsvItem>> episodes(Path dir) {
    List<Record<CsvItem>> out = new ArrayList<>();
    for (Record<?> r : DatasetDir.records(dir, new CsvAgentCodec())) {
      out.add((Record<CsvItem>) r);
    }
    out.sort(Comparator.comparing(Record::id));
    return out;
  }

  static List<RejectedItem> rejected(Path dir) {
    List<RejectedItem> out = new ArrayList<>();
    for (Rejected r : DatasetDir.rejected(dir)) {
      if (r.element() == null || !r.element().path("payload").has("question")) {
        continue;
      }
      out.add(new RejectedItem(CODER.read(Json.bytes(r.element())), r.stage(), r.reason(),
          r.detail()));
    }
    out.sort(Comparator.comparing(x -> x.record().id()));
    return out;
  }
}
