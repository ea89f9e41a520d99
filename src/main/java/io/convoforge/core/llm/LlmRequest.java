package io.convoforge.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One chat call as the providers see it: model and sampling parameters, the system text, the
 * conversation so far (alternating user/assistant, starting with user) and the JSON Schema the
 * answer must follow. Holds no secret, so its hash is the cache key.
 */
public record LlmRequest(
    String stage,
    String model,
    Double temperature,
    Double topP,
    Integer maxTokens,
    String system,
    List<String> messages,
    String schemaName,
    JsonNode schema) {

  public LlmRequest {
    messages = List.copyOf(messages);
  }

  /** The same request with the model's answer and a follow-up user message appended. */
  public LlmRequest followUp(String assistant, String user) {
    List<String> m = new java.util.ArrayList<>(messages);
    m.add(assistant);
    m.add(user);
    return new LlmRequest(stage, model, temperature, topP, maxTokens, system, m, schemaName,
        schema);
  }

  /** Prompt size in characters, for the token estimate made before the call. */
  public int promptChars() {
    int n = system == null ? 0 : system.length();
    for (String s : messages) {
      n += s.length();
    }
    return n + (schema == null ? 0 : schema.toString().length());
  }
}
