package io.convoforge.core.llm;

import java.util.List;

/** A provider's embeddings of a batch, in order, as returned (not yet normalised), and tokens. */
public record EmbedReply(List<float[]> vectors, long tokens) {}
