package io.convoforge.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The provider-neutral shape of a tool-calling chat, the second kind of call an {@link
 * LlmClient} makes (beside the structured-output {@link LlmRequest}): an agent is offered {@link
 * Tool}s, sees a transcript of {@link Message}s (user text, its own earlier replies and calls,
 * and the results of those calls) and answers with a {@link Reply}: text, calls, or both. Each
 * SDK client maps this to its wire format (OpenAI {@code tool_calls} and {@code tool} messages,
 * Anthropic {@code tool_use} and {@code tool_result} blocks, Gemini {@code functionCall} and
 * {@code functionResponse} parts). Plain values, never a secret: a request's JSON is its cache
 * key, a reply is what the cache stores.
 */
public final class Chat {
  private Chat() {}

  /** A function the model may call: name, description, JSON Schema of its arguments. */
  public record Tool(String name, String description, JsonNode parameters) {}

  /**
   * A call the model made. {@code arguments} is the model's JSON text as it came (it may not be
   * JSON at all: the caller decides what a malformed call means); {@code id} the provider's call
   * id, echoed with the result (Gemini's may be null).
   */
  public record Call(String id, String name, String arguments) {}

  /**
   * One message of the transcript. {@code role} is {@code user} (text), {@code assistant}
   * (text and/or calls) or {@code tool} (the result of call {@code callId} to tool {@code name},
   * as JSON text in {@code text}, {@code isError} when it failed).
   */
  public record Message(String role, String text, List<Call> calls, String callId, String name,
      boolean isError) {
    public Message {
      calls = calls == null ? List.of() : List.copyOf(calls);
    }

    public static Message user(String text) {
      return new Message("user", text, List.of(), null, null, false);
    }

    public static Message assistant(String text, List<Call> calls) {
      return new Message("assistant", text, calls, null, null, false);
    }

    public static Message toolResult(Call call, String resultJson, boolean isError) {
      return new Message("tool", resultJson, List.of(), call.id(), call.name(), isError);
    }
  }

  /** One call: the model, its parameters, the system text, the transcript and the tools. */
  public record Request(String stage, String model, Double temperature, Integer maxTokens,
      String system, List<Message> messages, List<Tool> tools) {
    public Request {
      messages = List.copyOf(messages);
      tools = List.copyOf(tools);
    }

    /** Characters of the prompt, for the token estimate made before the call. */
    public int promptChars() {
      int n = system == null ? 0 : system.length();
      for (Message m : messages) {
        n += m.text() == null ? 0 : m.text().length();
        for (Call c : m.calls()) {
          n += c.name().length() + (c.arguments() == null ? 0 : c.arguments().length());
        }
      }
      for (Tool t : tools) {
        n += t.name().length() + t.description().length() + t.parameters().toString().length();
      }
      return n;
    }
  }

  /**
   * The model's answer: its text (may be empty), its calls (may be none), why it stopped ({@code
   * stop}, {@code tool_calls}, {@code length}, {@code refusal}, {@code malformed_call}, ...), and
   * the tokens billed. {@code refusal} marks a declined answer (OpenAI's {@code refusal}, an
   * Anthropic {@code stop_reason: refusal}, a Gemini safety block).
   */
  public record Reply(String text, List<Call> calls, String finishReason, long tokensIn,
      long tokensOut) {
    public static final String REFUSAL = "refusal";
    public static final String MALFORMED_CALL = "malformed_call";

    public Reply {
      text = text == null ? "" : text;
      calls = calls == null ? List.of() : List.copyOf(calls);
    }

    public boolean refused() {
      return REFUSAL.equals(finishReason);
    }
  }
}
