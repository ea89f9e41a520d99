package io.convoforge.family.csvagent.stages;

import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import io.convoforge.family.csvagent.CsvItem;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The family's sink of every question the {@code questions} stage made: {@code
 * <dir>/questions-*.jsonl}, one {@link io.convoforge.family.csvagent.Question} a line ({@code
 * schemas/question.schema.json}), readable back as a recipe's {@code questions_file}. {@code
 * shards} as the recipe's {@code output.shards} (0: the runner decides).
 */
public final class WriteQuestions extends PTransform<PCollection<Record<CsvItem>>, PDone> {
  private final String dir;
  private final int shards;

  private WriteQuestions(String dir, int shards) {
    super("WriteQuestions");
    this.dir = dir;
    this.shards = shards;
  }

  public static WriteQuestions to(String dir, int shards) {
    return new WriteQuestions(dir, shards);
  }

  @Override
  public PDone expand(PCollection<Record<CsvItem>> questions) {
    TextIO.Write write = TextIO.write().to(dir + "/questions").withSuffix(".jsonl");
    if (shards > 0) {
      write = write.withNumShards(shards);
    }
    return questions
        .apply("QuestionToJson", MapElements.into(TypeDescriptors.strings())
            .via((Record<CsvItem> r) -> Json.write(r.payload().question())))
        .apply("WriteQuestionLines", write);
  }
}
