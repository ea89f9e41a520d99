package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A trace that is not kept, and why: {@code unverified} (the question failed triangulation; the
 * detail says how), {@code no_answer}, {@code disagrees_with_majority}, or {@code redundant} (it
 * agrees, but an earlier trace was kept).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Rejection(String episodeId, int traceIndex, String reason, String detail,
    Object answer) {
  public static final String UNVERIFIED = "unverified";
  public static final String NO_ANSWER = "no_answer";
  public static final String DISAGREES = "disagrees_with_majority";
  public static final String REDUNDANT = "redundant";
}
