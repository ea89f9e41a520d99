package io.convoforge.family.scenario.registry;

import java.time.OffsetDateTime;

/** The registry's rows, as queries return them. */
public final class Rows {
  private Rows() {}

  /** A registered prompt specification. */
  public record Prompt(String id, String path, String sha256, String title, String language,
      int turns, int scenarios, OffsetDateTime registeredAt) {}

  /**
   * A registered batch; {@code path} is its folder, {@code sha256} that of its batch.json,
   * {@code runId} the run configuration that made it.
   */
  public record Batch(String id, String promptId, String scenarioMode, String scenario, int size,
      String path, String sha256, OffsetDateTime createdAt, String runId) {}

  /** A registered conversation; {@code messages} is the JSON array of its messages. */
  public record Conversation(String id, String batchId, String scenarioId, String messages,
      OffsetDateTime firstTimestamp, OffsetDateTime lastTimestamp, String sha256) {}

  /** What {@link Registry#registerBatch} did: inserted the batch and its conversations, or not. */
  public record Registration(String batchId, boolean inserted, int conversations) {}
}
