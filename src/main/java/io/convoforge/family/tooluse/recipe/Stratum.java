package io.convoforge.family.tooluse.recipe;

import java.io.Serializable;

/**
 * A group of identical sampling requests: {@code count} elements of one task and outcome (and
 * chain). The sampler expands each stratum into elements with ids {@code prefix-00000...}.
 */
public record Stratum(
    String prefix, String taskId, String chainId, String outcome, int count, String failAt)
    implements Serializable {}
