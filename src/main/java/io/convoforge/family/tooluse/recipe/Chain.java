package io.convoforge.family.tooluse.recipe;

import java.io.Serializable;

/**
 * An exact-count line of a recipe's chain table: {@code count} conversations of {@code taskId}
 * with {@code outcome}; a failure chain may name the tool that fails ({@code failAt}).
 */
public record Chain(String id, String taskId, String outcome, int count, String failAt)
    implements Serializable {}
