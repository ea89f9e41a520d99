package io.convoforge.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;

/** A judge's verdict: per-criterion results, a score in [0, 1] and whether it passed. */
public record Judgement(boolean passed, double score, Map<String, Criterion> criteria) {

  /** One criterion's verdict; {@code detail} says why it failed. */
  public record Criterion(boolean passed, String detail) {}

  /** The first failed criterion in key order, or null. */
  @JsonIgnore
  public String firstFailure() {
    return criteria.entrySet().stream()
        .filter(e -> !e.getValue().passed())
        .map(Map.Entry::getKey)
        .sorted()
        .findFirst()
        .orElse(null);
  }
}
