package io.convoforge.core.llm;

/**
 * A provider's answer: the text, why generation stopped ({@code stop}, {@code length}, ...) and
 * the tokens billed. This is what the response cache stores.
 */
public record LlmReply(String text, String finishReason, long tokensIn, long tokensOut) {

  /** True when the model ran out of output tokens: the JSON is cut off. */
  public boolean truncated() {
    return "length".equalsIgnoreCase(finishReason) || "max_tokens".equalsIgnoreCase(finishReason);
  }
}
