package io.convoforge.family.tooluse.eval;

import com.fasterxml.jackson.core.type.TypeReference;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionSystemMessageParam;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.ChatCompletionUserMessageParam;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.schema.ToolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An agent behind any OpenAI-compatible chat-completions endpoint (the official
 * {@code openai-java} SDK): the derived tools go in {@code tools} as functions; each user turn is
 * sent, every returned tool call is executed in the sandbox and its result sent back as a
 * {@code tool} message, until the model answers with text (at most {@link #MAX_ROUNDS} rounds a
 * turn). The SDK retries 408/429/5xx with backoff. The key is read by the caller from
 * {@code OPENAI_API_KEY} (or {@code .env}) and never logged.
 */
public final class OpenAiAgent implements Agent {
  static final int MAX_ROUNDS = 8;
  static final String SYSTEM = "You are an assistant that operates a database through the"
      + " tools provided. Do what the user asks by calling the tools with exactly the values the"
      + " user gives (and keys returned by earlier calls). When a call fails, tell the user"
      + " why. Answer briefly.";

  private final String model;
  private final OpenAIClient client;
  private final List<FunctionDefinition> functions = new ArrayList<>();

  public OpenAiAgent(String model, String baseUrl, String apiKey, Collection<ToolSpec> tools) {
    this.model = model;
    OpenAIOkHttpClient.Builder b = OpenAIOkHttpClient.builder().apiKey(apiKey)
        .timeout(Duration.ofSeconds(120)).maxRetries(3);
    if (baseUrl != null) {
      b.baseUrl(baseUrl);
    }
    this.client = b.build();
    for (ToolSpec t : tools) {
      Map<String, Object> params = Json.MAPPER.convertValue(t.parameters(),
          new TypeReference<Map<String, Object>>() {});
      FunctionParameters.Builder p = FunctionParameters.builder();
      params.forEach((k, v) -> p.putAdditionalProperty(k, JsonValue.from(v)));
      functions.add(FunctionDefinition.builder().name(t.name()).description(t.description())
          .parameters(p.build()).build());
    }
  }

  @Override
  public String name() {
    return "openai:" + model;
  }

  @Override
  public Session start(Conversation c) {
    List<ChatCompletionMessageParam> messages = new ArrayList<>();
    messages.add(ChatCompletionMessageParam.ofSystem(
        ChatCompletionSystemMessageParam.builder().content(SYSTEM).build()));
    return (user, tools) -> {
      messages.add(ChatCompletionMessageParam.ofUser(
          ChatCompletionUserMessageParam.builder().content(user).build()));
      for (int round = 0; round < MAX_ROUNDS; round++) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
            .model(model).messages(messages);
        functions.forEach(params::addFunctionTool);
        ChatCompletion done = client.chat().completions().create(params.build());
        ChatCompletionMessage msg = done.choices().get(0).message();
        messages.add(ChatCompletionMessageParam.ofAssistant(msg.toParam()));
        List<ChatCompletionMessageToolCall> calls = msg.toolCalls().orElse(List.of());
        if (calls.isEmpty()) {
          return msg.content().orElse("");
        }
        for (ChatCompletionMessageToolCall call : calls) {
          if (call.function().isEmpty()) {
            continue;
          }
          ChatCompletionMessageFunctionToolCall f = call.asFunction();
          ToolResult r = tools.apply(ToolCall.of(f.function().name(),
              arguments(f.function().arguments())));
          messages.add(ChatCompletionMessageParam.ofTool(ChatCompletionToolMessageParam.builder()
              .toolCallId(f.id()).content(Json.write(r)).build()));
        }
      }
      return "";
    };
  }

  /** The model's JSON arguments; text that is not a JSON object becomes no arguments. */
  static Map<String, Object> arguments(String json) {
    try {
      Map<String, Object> m = Json.MAPPER.readValue(json,
          new TypeReference<LinkedHashMap<String, Object>>() {});
      for (Iterator<Map.Entry<String, Object>> it = m.entrySet().iterator(); it.hasNext(); ) {
        if (it.next().getValue() == null) {
          it.remove();
        }
      }
      return m;
    } catch (Exception e) {
      return Map.of();
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
