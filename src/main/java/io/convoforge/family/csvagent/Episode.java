package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * One attempt at a question: the conversation ({@code messages}, OpenAI chat format, with the
 * {@code tools} it may call), every SQL step it ran ({@code trace}), and the {@code answer} its
 * last message states (null when it ran out of turns). {@code mistake} names the error a scripted
 * trace was told to make ({@code dropped_filter}, {@code off_by_one_bound},
 * {@code wrong_aggregate}), null otherwise; it is metadata for reports, not training text.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Episode(String id, String questionId, int traceIndex, List<Map<String, Object>> tools,
    List<ChatMessage> messages, List<TraceStep> trace, Object answer, String mistake) {

  /** {@code <question id>#<trace index>}. */
  public static String id(String questionId, int traceIndex) {
    return questionId + "#" + traceIndex;
  }
}
