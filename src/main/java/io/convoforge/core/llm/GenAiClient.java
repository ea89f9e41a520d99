package io.convoforge.core.llm;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import com.google.genai.types.Content;
import com.google.genai.types.ContentEmbedding;
import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Part;
import io.convoforge.core.model.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code generateContent} through Google's Gen AI SDK ({@code com.google.genai:google-genai}):
 * the Gemini API with an API key, or Vertex AI ({@code vertexAI(true)}, project, location,
 * Application Default Credentials). Structured output via {@code responseMimeType:
 * application/json} and {@code responseJsonSchema}; function calling for agents ({@link
 * GenAiToolChat}); embeddings via {@code embedContent}. The
 * SDK's retries are off (one attempt): {@link CallLoop} retries.
 */
final class GenAiClient implements LlmClient {
  private final Client client;

  private GenAiClient(Client client) {
    this.client = client;
  }

  static GenAiClient gemini(String apiKey, String baseUrl, int timeoutMillis) {
    Client.Builder b = Client.builder().apiKey(apiKey == null ? "" : apiKey)
        .httpOptions(http(baseUrl, timeoutMillis));
    return new GenAiClient(b.build());
  }

  /**
   * Vertex AI. {@code accessToken} is only for local endpoints (tests, proxies): when null the
   * SDK uses Application Default Credentials.
   */
  static GenAiClient vertex(String project, String location, String baseUrl, int timeoutMillis,
      String accessToken) {
    Client.Builder b = Client.builder().vertexAI(true).project(project).location(location)
        .httpOptions(http(baseUrl, timeoutMillis));
    if (accessToken != null) {
      b.credentials(GoogleCredentials.create(new AccessToken(accessToken, null)));
    }
    return new GenAiClient(b.build());
  }

  private static HttpOptions http(String baseUrl, int timeoutMillis) {
    HttpOptions.Builder h = HttpOptions.builder().timeout(timeoutMillis)
        .retryOptions(HttpRetryOptions.builder().attempts(1).build());
    if (baseUrl != null && !baseUrl.isBlank()) {
      h.baseUrl(baseUrl);
    }
    return h.build();
  }

  @Override
  public LlmReply call(LlmRequest r) throws LlmException {
    GenerateContentResponse resp;
    try {
      resp = client.models.generateContent(r.model(), contents(r), config(r));
    } catch (RuntimeException e) {
      throw failure(e);
    }
    return reply(resp);
  }

  /** The SDK client, for the batch API ({@link GeminiBatches}, {@link VertexBatches}). */
  Client sdk() {
    return client;
  }

  /** The conversation of {@code r}: user and model turns, alternating. */
  static List<Content> contents(LlmRequest r) {
    List<Content> contents = new ArrayList<>();
    List<String> m = r.messages();
    for (int i = 0; i < m.size(); i++) {
      contents.add(Content.builder().role(i % 2 == 0 ? "user" : "model")
          .parts(List.of(Part.fromText(m.get(i)))).build());
    }
    return contents;
  }

  /** System text, sampling parameters and the answer's JSON Schema of {@code r}. */
  static GenerateContentConfig config(LlmRequest r) {
    GenerateContentConfig.Builder c = GenerateContentConfig.builder()
        .responseMimeType("application/json")
        .responseJsonSchema(Json.MAPPER.convertValue(r.schema(), Map.class));
    if (r.system() != null && !r.system().isBlank()) {
      c.systemInstruction(Content.fromParts(Part.fromText(r.system())));
    }
    if (r.temperature() != null) {
      c.temperature(r.temperature().floatValue());
    }
    if (r.topP() != null) {
      c.topP(r.topP().floatValue());
    }
    if (r.maxTokens() != null) {
      c.maxOutputTokens(r.maxTokens());
    }
    return c.build();
  }

  /** The answer in a response (online, or one result of a batch). */
  static LlmReply reply(GenerateContentResponse resp) {
    String text = resp.text();
    String finish = resp.finishReason() == null ? "STOP" : resp.finishReason().toString();
    long in = resp.usageMetadata().flatMap(u -> u.promptTokenCount()).orElse(0);
    long out = resp.usageMetadata().flatMap(u -> u.candidatesTokenCount()).orElse(0);
    return new LlmReply(text == null ? "" : text, finish, in, out);
  }

  /** A tool-calling turn ({@link GenAiToolChat}). */
  @Override
  public Chat.Reply chat(Chat.Request r) throws LlmException {
    try {
      return GenAiToolChat.chat(client, r);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  /**
   * Embeddings through {@code models.embedContent} with a list of texts: the Gemini API's {@code
   * batchEmbedContents}, Vertex AI's {@code predict}. Tokens are Vertex's per-text statistics
   * (the Gemini API reports none).
   */
  @Override
  public EmbedReply embed(String model, List<String> texts, Integer dimensions, String taskType)
      throws LlmException {
    EmbedContentConfig.Builder c = EmbedContentConfig.builder();
    if (dimensions != null) {
      c.outputDimensionality(dimensions);
    }
    if (taskType != null) {
      c.taskType(taskType);
    }
    EmbedContentResponse resp;
    try {
      resp = client.models.embedContent(model, texts, c.build());
    } catch (RuntimeException e) {
      throw failure(e);
    }
    List<ContentEmbedding> got = resp.embeddings().orElse(List.of());
    if (got.size() != texts.size()) {
      throw new LlmException(LlmException.Kind.TRANSIENT, "expected " + texts.size()
          + " embeddings, got " + got.size(), -1);
    }
    List<float[]> out = new ArrayList<>(got.size());
    long tokens = 0;
    for (ContentEmbedding e : got) {
      List<Float> v = e.values().orElse(List.of());
      if (v.isEmpty()) {
        throw new LlmException(LlmException.Kind.TRANSIENT, "an embedding has no values", -1);
      }
      float[] f = new float[v.size()];
      for (int j = 0; j < f.length; j++) {
        f[j] = v.get(j);
      }
      out.add(f);
      tokens += e.statistics().flatMap(st -> st.tokenCount()).map(Math::round).orElse(0);
    }
    return new EmbedReply(out, tokens);
  }

  private static final Pattern RETRY_DELAY =
      Pattern.compile("\"retryDelay\"\\s*:\\s*\"(\\d+(?:\\.\\d+)?)s\"");

  /**
   * Classifies an SDK failure for the retry loop. The SDK exposes no headers, but a 429 from
   * Google usually carries a {@code google.rpc.RetryInfo} detail ({@code "retryDelay": "3s"}),
   * which the SDK copies into the exception's message: that delay is honoured.
   */
  static LlmException failure(RuntimeException e) {
    if (e instanceof ApiException ae) {
      int code = ae.code();
      if (code == 429) {
        return new LlmException(LlmException.Kind.RATE_LIMITED, "HTTP 429",
            retryDelayMillis(ae.getMessage()));
      }
      boolean transientError = code >= 500 || code == 408 || code <= 0;
      return new LlmException(transientError ? LlmException.Kind.TRANSIENT
          : LlmException.Kind.PERMANENT, "HTTP " + code, -1);
    }
    // The SDK wraps I/O failures (timeouts, resets) and unparseable bodies in runtime errors.
    return new LlmException(LlmException.Kind.TRANSIENT,
        "I/O: " + e.getClass().getSimpleName(), -1);
  }

  /** The {@code retryDelay} of a RetryInfo detail in an error message, in ms; -1 if none. */
  static long retryDelayMillis(String message) {
    if (message == null) {
      return -1;
    }
    Matcher m = RETRY_DELAY.matcher(message);
    return m.find() ? Math.round(Double.parseDouble(m.group(1)) * 1000) : -1;
  }

  @Override
  public void close() {
    client.close();
  }
}
