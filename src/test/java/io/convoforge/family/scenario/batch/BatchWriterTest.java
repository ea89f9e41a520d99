package io.convoforge.family.scenario.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.input.InputException;
import io.convoforge.core.model.Json;
import io.convoforge.family.scenario.Fixtures;
import io.convoforge.family.scenario.OfflineBatches;
import io.convoforge.family.scenario.ScenarioPlan;
import io.convoforge.family.scenario.model.Transcript;
import io.convoforge.family.scenario.spec.PromptSpec;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchWriterTest {
  private static final PromptSpec ES = Fixtures.spec(Fixtures.ES);
  @TempDir Path root;

  private static BatchFile batch(ScenarioPlan plan, int index) {
    return OfflineBatches.assemble(plan, index, Fixtures.ES.toString(), Fixtures.writer(ES));
  }

  @Test
  void writesTheLayout() throws Exception {
    ScenarioPlan plan = ScenarioPlan.random(ES, 42, 12, 8);
    BatchFile b = batch(plan, 1);
    WrittenBatch w = new BatchWriter(root).write(b);
    assertTrue(w.written());
    Path dir = root.resolve("batches").resolve(plan.batchId(1));
    assertEquals(dir, w.dir());
    try (Stream<Path> s = Files.list(dir.resolve("conversations"))) {
      assertEquals(4, s.count());
    }
    BatchFile back = Json.read(Files.readAllBytes(dir.resolve("batch.json")), BatchFile.class);
    assertEquals(b, back);
    assertEquals("random", back.scenarioMode());
    assertEquals(4, back.size());
    assertEquals(b.conversations().get(0).messages().get(0).timestamp(), back.createdAt());
    Transcript t = b.conversations().get(2);
    byte[] file = Files.readAllBytes(dir.resolve("conversations").resolve(t.id() + ".json"));
    assertEquals(t, Json.read(file, Transcript.class));
    assertEquals(BatchWriter.sha256(file), w.conversationSha256().get(t.id()));
    assertEquals(BatchWriter.sha256(Files.readAllBytes(dir.resolve("batch.json"))), w.sha256());
    try (Stream<Path> s = Files.list(root.resolve(BatchWriter.STAGING))) {
      assertEquals(0, s.count(), "staging is cleaned");
    }
  }

  @Test
  void previewShowsHeaderTimestampsAndSpeakers() throws Exception {
    ScenarioPlan plan = ScenarioPlan.fixed(ES, "AVERIA-01", 3, 2, 2);
    WrittenBatch w = new BatchWriter(root).write(batch(plan, 0));
    String p = Files.readString(w.dir().resolve("preview.txt"));
    assertTrue(p.startsWith("Batch " + plan.batchId(0)), p);
    assertTrue(p.contains("Prompt: " + ES.title()));
    assertTrue(p.contains("Scenario mode: fixed (AVERIA-01)"));
    assertTrue(p.contains("Conversations: 2   Messages: 24"));
    assertTrue(p.contains("[2026-03-02T09:00:00+01:00] AGENT: "), p);
    assertTrue(p.contains("] CLIENT: "));
  }

  @Test
  void rewritingAnIdenticalBatchIsANoOp() throws Exception {
    ScenarioPlan plan = ScenarioPlan.random(ES, 42, 5, 5);
    BatchWriter writer = new BatchWriter(root);
    WrittenBatch first = writer.write(batch(plan, 0));
    Path f = first.dir().resolve("batch.json");
    long modified = Files.getLastModifiedTime(f).toMillis();
    WrittenBatch again = writer.write(batch(plan, 0));
    assertFalse(again.written());
    assertEquals(first.sha256(), again.sha256());
    assertEquals(modified, Files.getLastModifiedTime(f).toMillis());
  }

  @Test
  void sameIdOtherContentIsRefused() throws Exception {
    new BatchWriter(root).write(batch(ScenarioPlan.random(ES, 42, 5, 5), 0));
    BatchFile bigger = batch(ScenarioPlan.random(ES, 42, 6, 6), 0);
    InputException e = assertThrows(InputException.class,
        () -> new BatchWriter(root).write(bigger));
    assertTrue(e.getMessage().contains("already exists with other content"), e.getMessage());
  }

  @Test
  void concurrentWritersOfOneBatchLeaveOneCompleteFolder() throws Exception {
    ScenarioPlan plan = ScenarioPlan.random(ES, 42, 30, 30);
    BatchFile b = batch(plan, 0);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<WrittenBatch>> fs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Callable<WrittenBatch> c = () -> new BatchWriter(root).write(b);
      fs.add(pool.submit(c));
    }
    int written = 0;
    for (Future<WrittenBatch> f : fs) {
      written += f.get().written() ? 1 : 0;
    }
    pool.shutdown();
    assertEquals(1, written);
    try (Stream<Path> s = Files.list(root.resolve("batches").resolve(b.id()).resolve(
        "conversations"))) {
      assertEquals(30, s.count());
    }
  }

  @Test
  void messagesCsvHasOneRowPerMessage() throws Exception {
    ScenarioPlan plan = ScenarioPlan.random(ES, 42, 3, 3);
    BatchFile b = batch(plan, 0);
    StringWriter out = new StringWriter();
    MessagesCsv.write(out, b.conversations(), true);
    List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
        .build().parse(new StringReader(out.toString())).getRecords();
    assertEquals(3 * ES.turns(), rows.size());
    assertArrayEquals(MessagesCsv.COLUMNS.split(","),
        out.toString().lines().findFirst().get().split(","));
    Transcript t = b.conversations().get(1);
    CSVRecord r = rows.get(ES.turns() + 4);
    assertEquals(t.id(), r.get("conversation_id"));
    assertEquals(b.id(), r.get("batch_id"));
    assertEquals(ES.id(), r.get("prompt_id"));
    assertEquals(t.scenario().id(), r.get("scenario_id"));
    assertEquals("agent", r.get("role"));
    assertEquals("4", r.get("index"));
    assertEquals(t.messages().get(4).timestamp(), r.get("timestamp"));
    assertEquals(t.messages().get(4).text(), r.get("text"));

    Path file = root.resolve("messages.csv");
    MessagesCsv.write(file, b.conversations());
    assertEquals(out.toString(), Files.readString(file));
  }
}
