package io.convoforge.backend.llm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.convoforge.model.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Chat completions through the official {@code com.openai:openai-java} SDK with structured
 * output ({@code response_format: json_schema}). Works against OpenAI or any compatible server
 * ({@code base_url}). The SDK's own retries are off: {@link LlmGenerator} retries.
 */
final class OpenAiClient implements LlmClient {
  private final OpenAIClient client;

  OpenAiClient(String apiKey, String baseUrl, Duration timeout) {
    OpenAIOkHttpClient.Builder b = OpenAIOkHttpClient.builder()
        .apiKey(apiKey == null || apiKey.isEmpty() ? "none" : apiKey)
        .maxRetries(0)
        .timeout(timeout);
    if (baseUrl != null && !baseUrl.isBlank()) {
      b.baseUrl(baseUrl);
    }
    this.client = b.build();
  }

  @Override
  public LlmReply call(LlmRequest r) throws LlmException {
    ChatCompletionCreateParams.Builder p = ChatCompletionCreateParams.builder().model(r.model());
    if (r.system() != null && !r.system().isBlank()) {
      p.addSystemMessage(r.system());
    }
    List<String> m = r.messages();
    for (int i = 0; i < m.size(); i++) {
      if (i % 2 == 0) {
        p.addUserMessage(m.get(i));
      } else {
        p.addAssistantMessage(m.get(i));
      }
    }
    if (r.temperature() != null) {
      p.temperature(r.temperature());
    }
    if (r.topP() != null) {
      p.topP(r.topP());
    }
    if (r.maxTokens() != null) {
      p.maxCompletionTokens(r.maxTokens());
    }
    Map<String, Object> schema = Json.MAPPER.convertValue(r.schema(),
        new TypeReference<Map<String, Object>>() {});
    ResponseFormatJsonSchema.JsonSchema.Schema.Builder sb =
        ResponseFormatJsonSchema.JsonSchema.Schema.builder();
    schema.forEach((k, v) -> sb.putAdditionalProperty(k, JsonValue.from(v)));
    p.responseFormat(ResponseFormatJsonSchema.builder()
        .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
            .name(r.schemaName())
            .strict(false)
            .schema(sb.build())
            .build())
        .build());
    ChatCompletion done;
    try {
      done = client.chat().completions().create(p.build());
    } catch (RateLimitException e) {
      List<String> ra = e.headers().values("Retry-After");
      throw new LlmException(LlmException.Kind.RATE_LIMITED, "HTTP 429",
          LlmException.parseRetryAfter(ra.isEmpty() ? null : ra.get(0)));
    } catch (OpenAIServiceException e) {
      int code = e.statusCode();
      boolean transientError = code >= 500 || code == 408 || code == 409;
      throw new LlmException(transientError ? LlmException.Kind.TRANSIENT
          : LlmException.Kind.PERMANENT, "HTTP " + code, -1);
    } catch (OpenAIIoException e) {
      throw new LlmException(LlmException.Kind.TRANSIENT,
          "I/O: " + e.getClass().getSimpleName() + " " + causeName(e), -1);
    } catch (RuntimeException e) {
      // Unparseable bodies and the like: a server bug, worth one more try.
      throw new LlmException(LlmException.Kind.TRANSIENT,
          "bad response: " + e.getClass().getSimpleName(), -1);
    }
    if (done.choices().isEmpty()) {
      throw new LlmException(LlmException.Kind.TRANSIENT, "no choices in the response", -1);
    }
    ChatCompletion.Choice c = done.choices().get(0);
    String text = c.message().content().orElse("");
    String finish = c._finishReason().isMissing() ? "stop" : c.finishReason().asString();
    long in = done.usage().map(u -> u.promptTokens()).orElse(0L);
    long out = done.usage().map(u -> u.completionTokens()).orElse(0L);
    return new LlmReply(text, finish, in, out);
  }

  private static String causeName(Throwable e) {
    return e.getCause() == null ? "" : e.getCause().getClass().getSimpleName();
  }

  @Override
  public void close() {
    client.close();
  }
}
