package io.convoforge.family.scenario.batch;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A batch as it stands on disk after {@link BatchWriter#write}: its folder, the SHA-256 of its
 * {@code batch.json} and of each {@code conversations/<id>.json}, and whether this call wrote it
 * ({@code false}: an identical batch was already in place).
 */
public record WrittenBatch(
    BatchFile batch, Path dir, String sha256, Map<String, String> conversationSha256,
    boolean written) {
  public WrittenBatch {
    conversationSha256 = new TreeMap<>(conversationSha256);
  }

  public String id() {
    return batch.id();
  }
}
