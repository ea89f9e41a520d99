package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The verdict of triangulating one question: {@code n} traces, their {@code answers} (null for a
 * trace that gave none), the {@code majority} answer, {@code agreement} (the share of the n
 * answers matching it), whether the largest group was {@code tied} with another, the {@code
 * ground_truth} of a synthetic question (null for LLM questions), {@code verified}, and the
 * {@code observed_difficulty} derived from agreement ({@link Difficulty#observed}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Verification(int n, List<Object> answers, Object majority, double agreement,
    boolean tied, Object groundTruth, boolean verified, Difficulty observedDifficulty) {}
