package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.Serializable;

/**
 * One CSV of a run, as its source record carries it: {@code name} (the file name, or as much of
 * its path as tells it apart from the run's other datasets: {@code a/data.csv}), the absolute
 * {@code path} the stages load it from, the SHA-256 of its bytes (its identity: question ids
 * and the run id hash it), and its row and column counts. Loading it checks the hash, so a file
 * changed after the run started is never mistaken for the one that was checked.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DatasetRef(String name, String path, String sha256, int rows, int columns)
    implements Serializable {

  /** {@code ds_} + the first 16 hex digits of the content hash. */
  public String id() {
    return "ds_" + sha256.substring(0, 16);
  }
}
