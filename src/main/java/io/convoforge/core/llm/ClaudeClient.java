package io.convoforge.core.llm;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoice;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlockParam;
import com.anthropic.vertex.backends.VertexBackend;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import io.convoforge.core.model.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Claude through the official {@code com.anthropic:anthropic-java} SDK, Messages API: directly
 * ({@code ANTHROPIC_API_KEY}) or on Vertex AI ({@code anthropic-java-vertex}: project, region,
 * Application Default Credentials; {@code rawPredict} on the Anthropic publisher). Tool-calling
 * chat maps {@link Chat} to {@code tool_use} and {@code tool_result} blocks; the structured call
 * (a judge on Claude) forces one tool whose {@code input_schema} is the answer's schema, so the
 * answer is that tool's input. The SDK's retries are off: {@link CallLoop} retries.
 */
final class ClaudeClient implements LlmClient {
  private static final long DEFAULT_MAX_TOKENS = 2048;
  private final AnthropicClient client;

  private ClaudeClient(AnthropicClient client) {
    this.client = client;
  }

  /** The Anthropic API with a key; {@code baseUrl} null for Anthropic's own endpoint. */
  static ClaudeClient direct(String apiKey, String baseUrl, Duration timeout) {
    AnthropicOkHttpClient.Builder b = AnthropicOkHttpClient.builder()
        .apiKey(apiKey == null ? "none" : apiKey).maxRetries(0).timeout(timeout);
    if (baseUrl != null && !baseUrl.isBlank()) {
      b.baseUrl(baseUrl);
    }
    return new ClaudeClient(b.build());
  }

  /**
   * Claude on Vertex AI. {@code accessToken} is only for local endpoints (tests, proxies): when
   * null the SDK uses Application Default Credentials.
   */
  static ClaudeClient vertex(String project, String region, String baseUrl, Duration timeout,
      String accessToken) {
    VertexBackend.Builder v = VertexBackend.builder().project(project).region(region);
    if (baseUrl != null && !baseUrl.isBlank()) {
      v.baseUrl(baseUrl);
    }
    if (accessToken != null) {
      v.googleCredentials(GoogleCredentials.create(new AccessToken(accessToken, null)));
    } else {
      try {
        v.googleCredentials(GoogleCredentials.getApplicationDefault());
      } catch (IOException e) {
        throw new IllegalStateException("no Application Default Credentials for Claude on"
            + " Vertex AI (gcloud auth application-default login): " + e.getMessage());
      }
    }
    return new ClaudeClient(AnthropicOkHttpClient.builder()
        .backend(v.build()).maxRetries(0).timeout(timeout).build());
  }

  @Override
  public Chat.Reply chat(Chat.Request r) throws LlmException {
    MessageCreateParams.Builder p = params(r.model(), r.maxTokens(), r.temperature(),
        r.system());
    List<ContentBlockParam> blocks = new ArrayList<>();
    boolean userSide = true;
    for (Chat.Message m : r.messages()) {
      boolean user = !"assistant".equals(m.role());
      if (user != userSide && !blocks.isEmpty()) {
        add(p, userSide, blocks);
      }
      userSide = user;
      if ("tool".equals(m.role())) {
        blocks.add(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
            .toolUseId(m.callId()).content(m.text()).isError(m.isError()).build()));
        continue;
      }
      if (m.text() != null && !m.text().isBlank()) {
        blocks.add(ContentBlockParam.ofText(m.text()));
      }
      for (Chat.Call c : m.calls()) {
        blocks.add(ContentBlockParam.ofToolUse(ToolUseBlockParam.builder().id(c.id())
            .name(c.name()).input(ToolUseBlockParam.Input.builder()
                .putAllAdditionalProperties(values(object(c.arguments()))).build())
            .build()));
      }
    }
    if (!blocks.isEmpty()) {
      add(p, userSide, blocks);
    }
    for (Chat.Tool t : r.tools()) {
      p.addTool(tool(t.name(), t.description(), t.parameters()));
    }
    Message msg = send(p);
    StringBuilder text = new StringBuilder();
    List<Chat.Call> calls = new ArrayList<>();
    for (ContentBlock b : msg.content()) {
      b.text().ifPresent(t -> text.append(t.text()));
      b.toolUse().ifPresent(u -> calls.add(new Chat.Call(u.id(), u.name(), json(u._input()))));
    }
    String stop = msg.stopReason().map(s -> s.asString()).orElse("end_turn");
    return new Chat.Reply(text.toString(), "refusal".equals(stop) ? List.of() : calls,
        "refusal".equals(stop) ? Chat.Reply.REFUSAL : stop, msg.usage().inputTokens(),
        msg.usage().outputTokens());
  }

  /** A structured answer: one forced tool whose input schema is the answer's schema. */
  @Override
  public LlmReply call(LlmRequest r) throws LlmException {
    MessageCreateParams.Builder p = params(r.model(), r.maxTokens(), r.temperature(),
        r.system());
    List<String> m = r.messages();
    for (int i = 0; i < m.size(); i++) {
      if (i % 2 == 0) {
        p.addUserMessage(m.get(i));
      } else {
        p.addAssistantMessage(m.get(i));
      }
    }
    p.addTool(tool(r.schemaName(), "Give the answer as this tool's input.", r.schema()));
    p.toolChoice(ToolChoice.ofTool(r.schemaName()));
    Message msg = send(p);
    String answer = "";
    for (ContentBlock b : msg.content()) {
      if (b.toolUse().isPresent()) {
        answer = json(b.toolUse().get()._input());
        break;
      }
      if (b.text().isPresent()) {
        answer = b.text().get().text();
      }
    }
    String stop = msg.stopReason().map(s -> s.asString()).orElse("end_turn");
    return new LlmReply(answer, stop, msg.usage().inputTokens(), msg.usage().outputTokens());
  }

  private static MessageCreateParams.Builder params(String model, Integer maxTokens,
      Double temperature, String system) {
    MessageCreateParams.Builder p = MessageCreateParams.builder().model(model)
        .maxTokens(maxTokens == null ? DEFAULT_MAX_TOKENS : maxTokens);
    if (system != null && !system.isBlank()) {
      p.system(system);
    }
    if (temperature != null) {
      p.putAdditionalBodyProperty("temperature", JsonValue.from(temperature));
    }
    return p;
  }

  private static void add(MessageCreateParams.Builder p, boolean user,
      List<ContentBlockParam> blocks) {
    if (user) {
      p.addUserMessageOfContentBlockParams(new ArrayList<>(blocks));
    } else {
      p.addAssistantMessageOfContentBlockParams(new ArrayList<>(blocks));
    }
    blocks.clear();
  }

  /** A tool whose {@code input_schema} is {@code schema} (type object). */
  private static Tool tool(String name, String description, JsonNode schema) {
    Map<String, Object> s = Json.MAPPER.convertValue(schema,
        new TypeReference<LinkedHashMap<String, Object>>() {});
    Tool.InputSchema.Builder in = Tool.InputSchema.builder();
    Object props = s.remove("properties");
    if (props instanceof Map<?, ?> pm) {
      Map<String, JsonValue> v = new LinkedHashMap<>();
      pm.forEach((k, x) -> v.put(String.valueOf(k), JsonValue.from(x)));
      in.properties(Tool.InputSchema.Properties.builder().putAllAdditionalProperties(v).build());
    }
    Object required = s.remove("required");
    if (required instanceof List<?> req) {
      in.required(req.stream().map(String::valueOf).toList());
    }
    s.remove("type");
    s.remove("$schema");
    s.forEach((k, x) -> in.putAdditionalProperty(k, JsonValue.from(x)));
    return Tool.builder().name(name).description(description).inputSchema(in.build()).build();
  }

  private Message send(MessageCreateParams.Builder p) throws LlmException {
    try {
      return client.messages().create(p.build());
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  private static Map<String, JsonValue> values(Map<String, Object> m) {
    Map<String, JsonValue> v = new LinkedHashMap<>();
    m.forEach((k, x) -> v.put(k, JsonValue.from(x)));
    return v;
  }

  private static Map<String, Object> object(String json) {
    try {
      Map<String, Object> m = Json.MAPPER.readValue(json,
          new TypeReference<LinkedHashMap<String, Object>>() {});
      return m == null ? Map.of() : m;
    } catch (IOException | RuntimeException e) {
      return Map.of("value", String.valueOf(json));
    }
  }

  private static String json(JsonValue v) {
    return Json.write(v.convert(Object.class));
  }

  /** Classifies an SDK failure for the retry loop; the message never holds the key. */
  private static LlmException failure(RuntimeException e) {
    if (e instanceof RateLimitException r) {
      List<String> ra = r.headers().values("retry-after");
      return new LlmException(LlmException.Kind.RATE_LIMITED, "HTTP 429",
          LlmException.parseRetryAfter(ra.isEmpty() ? null : ra.get(0)));
    }
    if (e instanceof AnthropicServiceException se) {
      int code = se.statusCode();
      boolean transientError = code >= 500 || code == 408 || code == 409;
      return new LlmException(transientError ? LlmException.Kind.TRANSIENT
          : LlmException.Kind.PERMANENT, "HTTP " + code, -1);
    }
    if (e instanceof AnthropicIoException) {
      return new LlmException(LlmException.Kind.TRANSIENT,
          "I/O: " + e.getClass().getSimpleName(), -1);
    }
    return new LlmException(LlmException.Kind.TRANSIENT,
        "bad response: " + e.getClass().getSimpleName(), -1);
  }

  @Override
  public void close() {
    client.close();
  }
}
