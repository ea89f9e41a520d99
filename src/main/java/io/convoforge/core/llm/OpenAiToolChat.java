package io.convoforge.core.llm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.convoforge.core.model.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link Chat} over OpenAI chat completions (and compatible servers): tools as {@code function}
 * tools, the model's calls from {@code tool_calls}, each result sent back as a {@code tool}
 * message with its {@code tool_call_id}. A {@code refusal} in the message is a refused reply.
 */
final class OpenAiToolChat {
  private OpenAiToolChat() {}

  static Chat.Reply chat(OpenAIClient client, Chat.Request r) {
    ChatCompletionCreateParams.Builder p = ChatCompletionCreateParams.builder().model(r.model());
    if (r.system() != null && !r.system().isBlank()) {
      p.addSystemMessage(r.system());
    }
    for (Chat.Message m : r.messages()) {
      switch (m.role()) {
        case "user":
          p.addUserMessage(m.text());
          break;
        case "assistant": {
          ChatCompletionAssistantMessageParam.Builder a =
              ChatCompletionAssistantMessageParam.builder();
          if (m.text() != null && !m.text().isEmpty()) {
            a.content(m.text());
          }
          for (Chat.Call c : m.calls()) {
            a.addToolCall(ChatCompletionMessageToolCall.ofFunction(
                ChatCompletionMessageFunctionToolCall.builder().id(c.id())
                    .function(ChatCompletionMessageFunctionToolCall.Function.builder()
                        .name(c.name()).arguments(c.arguments()).build())
                    .build()));
          }
          p.addMessage(a.build());
          break;
        }
        default:
          p.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(m.callId())
              .content(m.text()).build());
      }
    }
    for (Chat.Tool t : r.tools()) {
      Map<String, Object> params = Json.MAPPER.convertValue(t.parameters(),
          new TypeReference<Map<String, Object>>() {});
      FunctionParameters.Builder fp = FunctionParameters.builder();
      params.forEach((k, v) -> fp.putAdditionalProperty(k, JsonValue.from(v)));
      p.addFunctionTool(FunctionDefinition.builder().name(t.name())
          .description(t.description()).parameters(fp.build()).build());
    }
    if (r.temperature() != null) {
      p.temperature(r.temperature());
    }
    if (r.maxTokens() != null) {
      p.maxCompletionTokens(r.maxTokens());
    }
    ChatCompletion done = client.chat().completions().create(p.build());
    long in = done.usage().map(u -> u.promptTokens()).orElse(0L);
    long out = done.usage().map(u -> u.completionTokens()).orElse(0L);
    if (done.choices().isEmpty()) {
      return new Chat.Reply("", List.of(), "empty", in, out);
    }
    ChatCompletion.Choice choice = done.choices().get(0);
    ChatCompletionMessage msg = choice.message();
    String finish = choice._finishReason().isMissing() ? "stop"
        : choice.finishReason().asString();
    if (msg.refusal().isPresent()) {
      return new Chat.Reply(msg.refusal().get(), List.of(), Chat.Reply.REFUSAL, in, out);
    }
    List<Chat.Call> calls = new ArrayList<>();
    for (ChatCompletionMessageToolCall call : msg.toolCalls().orElse(List.of())) {
      if (call.isFunction()) {
        ChatCompletionMessageFunctionToolCall f = call.asFunction();
        calls.add(new Chat.Call(f.id(), f.function().name(), f.function().arguments()));
      }
    }
    return new Chat.Reply(msg.content().orElse(""), calls, finish, in, out);
  }
}
