package io.convoforge.core.llm;

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
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.convoforge.core.model.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Chat completions through the official {@code com.openai:openai-java} SDK with structured
 * output ({@code response_format: json_schema}), tool-calling chat for agents ({@link
 * OpenAiToolChat}), and embeddings ({@code /embeddings}). Works
 * against OpenAI or any compatible server ({@code base_url}). The SDK's own retries are off:
 * {@link CallLoop} retries.
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
    ChatCompletion done;
    try {
      done = client.chat().completions().create(params(r));
    } catch (RuntimeException e) {
      throw failure(e);
    }
    return reply(done);
  }

  /** The SDK client, for the batch API ({@link OpenAiBatches}). */
  OpenAIClient sdk() {
    return client;
  }

  /** The chat completion request of {@code r}: the same body online and in a batch line. */
  static ChatCompletionCreateParams params(LlmRequest r) {
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
    return p.build();
  }

  /** The answer in a chat completion (online, or the body of a batch result line). */
  static LlmReply reply(ChatCompletion done) throws LlmException {
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

  /** A tool-calling turn ({@link OpenAiToolChat}). */
  @Override
  public Chat.Reply chat(Chat.Request r) throws LlmException {
    try {
      return OpenAiToolChat.chat(client, r);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  /** Embeddings ({@code POST /embeddings}) as floats, ordered by the response's indices. */
  @Override
  public EmbedReply embed(String model, List<String> texts, Integer dimensions, String taskType)
      throws LlmException {
    EmbeddingCreateParams.Builder p = EmbeddingCreateParams.builder().model(model)
        .inputOfArrayOfStrings(texts).encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT);
    if (dimensions != null) {
      p.dimensions(dimensions);
    }
    CreateEmbeddingResponse done;
    try {
      done = client.embeddings().create(p.build());
    } catch (RuntimeException e) {
      throw failure(e);
    }
    float[][] out = new float[texts.size()][];
    for (Embedding e : done.data()) {
      int i = (int) e.index();
      if (i < 0 || i >= out.length) {
        throw new LlmException(LlmException.Kind.TRANSIENT, "embedding index " + i
            + " out of range for " + out.length + " texts", -1);
      }
      List<Float> v = e.embedding();
      out[i] = new float[v.size()];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = v.get(j);
      }
    }
    for (int i = 0; i < out.length; i++) {
      if (out[i] == null) {
        throw new LlmException(LlmException.Kind.TRANSIENT, "no embedding for text " + i + " of "
            + out.length, -1);
      }
    }
    long tokens = done._usage().isMissing() ? 0 : done.usage().promptTokens();
    return new EmbedReply(List.of(out), tokens);
  }

  /** Classifies an SDK failure for the retry loop; the message never holds the key. */
  static LlmException failure(RuntimeException e) {
    if (e instanceof RateLimitException r) {
      List<String> ra = r.headers().values("Retry-After");
      return new LlmException(LlmException.Kind.RATE_LIMITED, "HTTP 429",
          LlmException.parseRetryAfter(ra.isEmpty() ? null : ra.get(0)));
    }
    if (e instanceof OpenAIServiceException se) {
      int code = se.statusCode();
      return new LlmException(LlmException.kindOf(code), "HTTP " + code, -1);
    }
    if (e instanceof OpenAIIoException) {
      return new LlmException(LlmException.Kind.TRANSIENT,
          "I/O: " + e.getClass().getSimpleName() + " " + causeName(e), -1);
    }
    // Unparseable bodies and the like: a server bug, worth one more try.
    return new LlmException(LlmException.Kind.TRANSIENT,
        "bad response: " + e.getClass().getSimpleName(), -1);
  }

  private static String causeName(Throwable e) {
    return e.getCause() == null ? "" : e.getCause().getClass().getSimpleName();
  }

  @Override
  public void close() {
    client.close();
  }
}
