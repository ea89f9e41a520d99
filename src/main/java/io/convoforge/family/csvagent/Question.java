package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A question about one CSV. Synthetic ones ({@code source: "synthetic"}) carry the {@link Program},
 * its DuckDB {@code sql} and the {@code answer} that SQL gave (rounded by {@link Answers#round});
 * LLM-proposed ones ({@code source: "llm"}) have only text, hint and difficulty until triangulated.
 * {@code template} names the synthetic template (null for LLM questions).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Question(String id, Dataset dataset, String text, String hint, Difficulty difficulty,
    String source, String template, Program program, String sql, Object answer) {
  public static final String SYNTHETIC = "synthetic";
  public static final String LLM = "llm";

  /** The CSV a question is about: its file name and the SHA-256 of its bytes. */
  public record Dataset(String file, String sha256) {}

  public boolean synthetic() {
    return SYNTHETIC.equals(source);
  }
}
