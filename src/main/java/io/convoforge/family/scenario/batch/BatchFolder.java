package io.convoforge.family.scenario.batch;

import io.convoforge.core.model.Json;
import io.convoforge.family.scenario.model.Transcript;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One batch's folder: {@code batch.json} ({@link BatchFile}), {@code conversations/<id>.json}
 * (each conversation as in batch.json) and {@code preview.txt} ({@link Preview}). {@link #write}
 * fills a folder no one else sees yet (a run's staging directory, or {@link BatchWriter}'s);
 * {@link #read} takes a written folder as it stands, hashing its files' bytes. JSON is
 * pretty-printed with map keys sorted, so equal batches are equal bytes.
 */
public final class BatchFolder {
  public static final String BATCH_JSON = "batch.json";
  public static final String PREVIEW = "preview.txt";
  public static final String CONVERSATIONS = "conversations";

  private BatchFolder() {}

  /** Writes {@code batch} into {@code dir} (created; files replaced), and says what it wrote. */
  public static WrittenBatch write(Path dir, BatchFile batch) throws IOException {
    byte[] batchJson = BatchWriter.json(batch);
    Map<String, String> shas = new LinkedHashMap<>();
    Path convs = Files.createDirectories(dir.resolve(CONVERSATIONS));
    for (Transcript t : batch.conversations()) {
      byte[] b = BatchWriter.json(t);
      shas.put(t.id(), BatchWriter.sha256(b));
      Files.write(convs.resolve(t.id() + ".json"), b);
    }
    Files.write(dir.resolve(PREVIEW), Preview.render(batch).getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve(BATCH_JSON), batchJson);
    return new WrittenBatch(batch, dir, BatchWriter.sha256(batchJson), shas, true);
  }

  /**
   * The batch written in {@code dir}: its batch.json parsed, the hashes of its files as they
   * are. A missing or unreadable file is an {@link IOException} naming it.
   */
  public static WrittenBatch read(Path dir) throws IOException {
    byte[] batchJson = Files.readAllBytes(dir.resolve(BATCH_JSON));
    BatchFile batch;
    try {
      batch = Json.read(batchJson, BatchFile.class);
    } catch (RuntimeException e) {
      throw new IOException(dir.resolve(BATCH_JSON) + ": not a batch file: " + e.getMessage(), e);
    }
    Map<String, String> shas = new LinkedHashMap<>();
    for (Transcript t : batch.conversations()) {
      shas.put(t.id(), BatchWriter.sha256(Files.readAllBytes(
          dir.resolve(CONVERSATIONS).resolve(t.id() + ".json"))));
    }
    return new WrittenBatch(batch, dir, BatchWriter.sha256(batchJson), shas, false);
  }
}
