package io.convoforge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.convoforge.core.model.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted tool-calling model on 127.0.0.1 speaking each provider's wire format: OpenAI chat
 * completions ({@code /v1/chat/completions}: {@code tool_calls}, {@code tool} messages, {@code
 * refusal}), Anthropic Messages ({@code /v1/messages}, and Vertex AI's {@code :rawPredict}:
 * {@code tool_use} and {@code tool_result} blocks, {@code stop_reason: refusal}) and Gemini
 * {@code :generateContent} (Gemini API and Vertex AI: {@code functionCall} and {@code
 * functionResponse} parts, {@code SAFETY} and {@code MALFORMED_FUNCTION_CALL} finishes). Each
 * request is read into a {@link Seen} (the last user text and the tool results sent since) and
 * answered by the test's {@link Script}. Faults (429 with Retry-After, 500, 401) are injected for
 * the next n requests. Bodies, paths and credential headers are kept for assertions.
 */
public final class StubAgentServer implements AutoCloseable {
  /** The faults it can inject. */
  public enum Fault { RATE_LIMIT, SERVER_ERROR, UNAUTHORIZED }

  /** A call the scripted model makes; {@code arguments} is JSON text (or, malformed, not). */
  public record Call(String name, String arguments) {}

  /** The scripted model's answer. */
  public record Answer(String text, List<Call> calls, boolean refusal, boolean malformed) {
    public static Answer text(String t) {
      return new Answer(t, List.of(), false, false);
    }

    public static Answer calls(Call... calls) {
      return new Answer(null, List.of(calls), false, false);
    }

    public static Answer refusal(String t) {
      return new Answer(t, List.of(), true, false);
    }

    /** A call whose arguments cannot be parsed (Gemini: a MALFORMED_FUNCTION_CALL finish). */
    public static Answer malformed(String tool) {
      return new Answer(null, List.of(new Call(tool, "{\"client_id\": CL-")), false, true);
    }
  }

  /** A request as the script sees it. */
  public record Seen(String wire, String lastUser, int toolResults, JsonNode body) {}

  /** Decides the answer to a request. */
  @FunctionalInterface
  public interface Script {
    Answer answer(Seen request);
  }

  private final HttpServer server;
  private final ExecutorService pool;
  private final Script script;
  private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final List<String> credentials = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger ids = new AtomicInteger();

  private StubAgentServer(Script script) throws IOException {
    this.script = script;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "stub-agent");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  public static StubAgentServer start(Script script) throws IOException {
    return new StubAgentServer(script);
  }

  /** The next {@code times} requests get {@code f}. */
  public StubAgentServer fault(Fault f, int times) {
    for (int i = 0; i < times; i++) {
      faults.add(f);
    }
    return this;
  }

  /** The base URL a provider's SDK is given. */
  public String url(String provider) {
    String root = "http://127.0.0.1:" + server.getAddress().getPort();
    return "openai".equals(provider) ? root + "/v1" : root + "/";
  }

  public int requests() {
    return requests.get();
  }

  public List<String> bodies() {
    return List.copyOf(bodies);
  }

  public List<String> paths() {
    return List.copyOf(paths);
  }

  /** Every Authorization, x-api-key and x-goog-api-key header seen. */
  public List<String> credentials() {
    return List.copyOf(credentials);
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      requests.incrementAndGet();
      String path = ex.getRequestURI().getPath();
      paths.add(path);
      ex.getRequestHeaders().forEach((h, vs) -> {
        if (List.of("authorization", "x-api-key", "x-goog-api-key").contains(
            h.toLowerCase(java.util.Locale.ROOT))) {
          vs.forEach(v -> credentials.add(h.toLowerCase(java.util.Locale.ROOT) + ": " + v));
        }
      });
      String raw = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      bodies.add(raw);
      Fault f = faults.poll();
      if (f == Fault.RATE_LIMIT) {
        ex.getResponseHeaders().add("Retry-After", "0.05");
        send(ex, 429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
            + "\"message\":\"slow down\",\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\"}}");
        return;
      }
      if (f == Fault.UNAUTHORIZED) {
        send(ex, 401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
            + "\"message\":\"invalid key\",\"code\":401,\"status\":\"UNAUTHENTICATED\"}}");
        return;
      }
      if (f == Fault.SERVER_ERROR) {
        send(ex, 500, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\","
            + "\"message\":\"stub failed\",\"code\":500,\"status\":\"INTERNAL\"}}");
        return;
      }
      JsonNode body = Json.MAPPER.readTree(raw);
      if (path.endsWith("/chat/completions")) {
        send(ex, 200, openAi(script.answer(openAiSeen(body))));
      } else if (path.endsWith("/messages") || path.endsWith(":rawPredict")) {
        send(ex, 200, anthropic(script.answer(anthropicSeen(body))));
      } else if (path.endsWith(":generateContent")) {
        send(ex, 200, gemini(script.answer(geminiSeen(body))));
      } else {
        send(ex, 404, "{\"error\":{\"message\":\"no such path " + path + "\"}}");
      }
    } catch (RuntimeException e) {
      send(ex, 400, "{\"error\":{\"message\":\"stub could not read the request: "
          + e.getClass().getSimpleName() + "\"}}");
    }
  }

  private static Seen openAiSeen(JsonNode body) {
    String user = "";
    int results = 0;
    for (JsonNode m : body.path("messages")) {
      String role = m.path("role").asText();
      if ("user".equals(role)) {
        user = m.path("content").isTextual() ? m.path("content").asText()
            : m.path("content").path(0).path("text").asText();
        results = 0;
      } else if ("tool".equals(role)) {
        results++;
      }
    }
    return new Seen("openai", user, results, body);
  }

  private static Seen anthropicSeen(JsonNode body) {
    String user = "";
    int results = 0;
    for (JsonNode m : body.path("messages")) {
      if (!"user".equals(m.path("role").asText())) {
        continue;
      }
      JsonNode content = m.path("content");
      if (content.isTextual()) {
        user = content.asText();
        results = 0;
        continue;
      }
      for (JsonNode b : content) {
        if ("text".equals(b.path("type").asText())) {
          user = b.path("text").asText();
          results = 0;
        } else if ("tool_result".equals(b.path("type").asText())) {
          results++;
        }
      }
    }
    return new Seen("anthropic", user, results, body);
  }

  private static Seen geminiSeen(JsonNode body) {
    String user = "";
    int results = 0;
    for (JsonNode c : body.path("contents")) {
      if (!"user".equals(c.path("role").asText())) {
        continue;
      }
      for (JsonNode p : c.path("parts")) {
        if (p.has("text")) {
          user = p.path("text").asText();
          results = 0;
        } else if (p.has("functionResponse")) {
          results++;
        }
      }
    }
    return new Seen("gemini", user, results, body);
  }

  private String openAi(Answer a) {
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("id", "chatcmpl-stub").put("object", "chat.completion").put("created", 0)
        .put("model", "stub");
    ObjectNode choice = r.putArray("choices").addObject();
    choice.put("index", 0).put("finish_reason", a.calls().isEmpty() ? "stop" : "tool_calls");
    ObjectNode msg = choice.putObject("message").put("role", "assistant");
    if (a.refusal()) {
      msg.putNull("content").put("refusal", a.text());
    } else {
      msg.put("content", a.text()).putNull("refusal");
    }
    if (!a.calls().isEmpty()) {
      ArrayNode calls = msg.putArray("tool_calls");
      for (Call c : a.calls()) {
        ObjectNode tc = calls.addObject().put("id", "call_" + ids.incrementAndGet())
            .put("type", "function");
        tc.putObject("function").put("name", c.name()).put("arguments", c.arguments());
      }
    }
    r.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 20)
        .put("total_tokens", 120);
    return r.toString();
  }

  private String anthropic(Answer a) {
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("id", "msg_stub").put("type", "message").put("role", "assistant")
        .put("model", "stub");
    ArrayNode content = r.putArray("content");
    if (a.text() != null) {
      content.addObject().put("type", "text").put("text", a.text());
    }
    for (Call c : a.calls()) {
      ObjectNode b = content.addObject().put("type", "tool_use")
          .put("id", "toolu_" + ids.incrementAndGet()).put("name", c.name());
      JsonNode input = parse(c.arguments());
      // A malformed call: the input is not an object (the raw text, as a string).
      b.set("input", input != null && input.isObject() ? input
          : Json.MAPPER.getNodeFactory().textNode(c.arguments()));
    }
    r.put("stop_reason", a.refusal() ? "refusal" : a.calls().isEmpty() ? "end_turn"
        : "tool_use");
    r.putNull("stop_sequence");
    r.putObject("usage").put("input_tokens", 100).put("output_tokens", 20);
    return r.toString();
  }

  private static String gemini(Answer a) {
    ObjectNode r = Json.MAPPER.createObjectNode();
    ObjectNode cand = r.putArray("candidates").addObject();
    if (a.refusal()) {
      cand.put("finishReason", "SAFETY");
    } else if (a.malformed()) {
      cand.put("finishReason", "MALFORMED_FUNCTION_CALL")
          .put("finishMessage", "Malformed function call: " + a.calls().get(0).arguments());
    } else {
      ArrayNode parts = cand.putObject("content").put("role", "model").putArray("parts");
      if (a.text() != null) {
        parts.addObject().put("text", a.text());
      }
      for (Call c : a.calls()) {
        parts.addObject().putObject("functionCall").put("name", c.name())
            .set("args", parse(c.arguments()));
      }
      cand.put("finishReason", "STOP");
    }
    r.putObject("usageMetadata").put("promptTokenCount", 100).put("candidatesTokenCount", 20)
        .put("totalTokenCount", 120);
    return r.toString();
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      return null;
    }
  }

  private static void send(HttpExchange ex, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    try {
      ex.sendResponseHeaders(code, b.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(b);
      }
    } finally {
      ex.close();
    }
  }

  /** Every body seen that contains {@code s}. */
  public List<String> bodiesContaining(String s) {
    List<String> out = new ArrayList<>();
    for (String b : bodies) {
      if (b.contains(s)) {
        out.add(b);
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
