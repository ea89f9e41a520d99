package io.convoforge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.convoforge.core.model.Json;
import io.convoforge.core.util.Seeds;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for an LLM endpoint on 127.0.0.1, speaking OpenAI chat completions ({@code
 * POST /v1/chat/completions}) and Gemini/Vertex {@code generateContent} (any path ending in
 * {@code :generateContent}), and their embedding endpoints (OpenAI {@code /embeddings}, Gemini
 * {@code :batchEmbedContents}, Vertex {@code :predict}) with {@link #vector}s. It answers each
 * convoforge stage with schema-valid JSON after a fixed latency, and injects faults on request:
 * 429 with Retry-After, 500, 401/404/400, a timeout, malformed JSON, schema-breaking JSON, a
 * truncated answer (embeddings: the HTTP errors and the timeout, as stage {@link #EMBED}). Its
 * batch endpoints ({@link #batches()}) answer each batch line with the same logic. Used by the
 * tests and {@code bench}.
 */
public final class StubLlmServer implements AutoCloseable {
  /** The faults it can inject. */
  public enum Fault {
    RATE_LIMIT, SERVER_ERROR, TIMEOUT, MALFORMED_JSON, SCHEMA_BREAKING, LENGTH,
    /** Permanent errors: 401 (a wrong key), 404 (an unknown model), 400 (a bad request). */
    UNAUTHORIZED, NOT_FOUND, BAD_REQUEST
  }

  private record Rule(Fault fault, String stage, AtomicInteger remaining, boolean firstAskOnly) {}

  /** The stage name of embedding requests, and the dimension of the stub's vectors. */
  public static final String EMBED = "embed";
  public static final int EMBED_DIM = 16;

  private static final Pattern STEPS = Pattern.compile("in this order: (.+)");
  private static final Pattern TURNS = Pattern.compile("Answer with exactly (\\d+) turns");
  private static final Pattern PROPOSE = Pattern.compile("Propose (\\d+) different questions");
  private static final Pattern TABLE = Pattern.compile("on the table (\\S+), or");
  private static final Pattern RESULT = Pattern.compile("Result: (\\{.*})");
  private static final Pattern CALL_TURNS = Pattern.compile("Messages: exactly (\\d+)");
  private static final Pattern CALL_FIRST = Pattern.compile("the first by the (agent|client)");
  private static final Pattern CALL_LANGUAGE = Pattern.compile("Language: ([A-Za-z-]+)");
  private static final Pattern CALL_PROGRESSION =
      Pattern.compile("(?m)^progression: (.+)$");

  private final HttpServer server;
  private final ExecutorService pool;
  private final long latencyMs;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final Map<String, AtomicInteger> byStage = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final ThreadLocal<Boolean> counted = ThreadLocal.withInitial(() -> false);
  private final ConcurrentLinkedQueue<String> authHeaders = new ConcurrentLinkedQueue<>();
  private final AtomicInteger embeddedTexts = new AtomicInteger();
  private final Set<String> paths = ConcurrentHashMap.newKeySet();
  private final StubBatches batches = new StubBatches(this);
  private volatile long timeoutSleepMs = 3000;
  private volatile double retryAfterSeconds = 0.2;
  private volatile double retryInfoSeconds = -1;

  static {
    // The JDK server writes a response's headers and body separately; without TCP_NODELAY,
    // Nagle's algorithm holds the body back until the client's delayed ACK (~40 ms on Linux),
    // which no real LLM endpoint adds. Read once, when the JDK's server classes load.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private StubLlmServer(long latencyMs) throws IOException {
    this.latencyMs = latencyMs;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "stub-llm");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  public static StubLlmServer start(long latencyMs) throws IOException {
    return new StubLlmServer(latencyMs);
  }

  /** The next {@code times} requests of {@code stage} (null: any; times -1: all) get the fault. */
  public StubLlmServer fault(Fault f, String stage, int times) {
    rules.add(new Rule(f, stage, new AtomicInteger(times), false));
    return this;
  }

  /** Only first asks (not re-asks after a validation error) of {@code stage} get the fault. */
  public StubLlmServer faultFirstAsk(Fault f, String stage) {
    rules.add(new Rule(f, stage, new AtomicInteger(-1), true));
    return this;
  }

  public StubLlmServer timeoutSleepMillis(long ms) {
    timeoutSleepMs = ms;
    return this;
  }

  public StubLlmServer retryAfterSeconds(double s) {
    retryAfterSeconds = s;
    return this;
  }

  /**
   * 429s carry no Retry-After header but, as Google's APIs do, a {@code google.rpc.RetryInfo}
   * detail in the error body with this {@code retryDelay}.
   */
  public StubLlmServer retryInfoSeconds(double s) {
    retryInfoSeconds = s;
    return this;
  }

  public void clearFaults() {
    rules.clear();
  }

  /** The batch endpoints (OpenAI files + batches, Gemini batches, Vertex batch prediction). */
  public StubBatches batches() {
    return batches;
  }

  /** Base URL for the OpenAI SDK. */
  public String openAiUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Base URL for the Gen AI SDK (Gemini API or Vertex AI). */
  public String genAiUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  public int requests() {
    return requests.get();
  }

  public int requests(String stage) {
    AtomicInteger n = byStage.get(stage);
    return n == null ? 0 : n.get();
  }

  /** Texts embedded (successful embedding requests only). */
  public int embeddedTexts() {
    return embeddedTexts.get();
  }

  /** Every request path seen. */
  public Set<String> paths() {
    return Set.copyOf(paths);
  }

  /** Arrival times (System.nanoTime) of every request. */
  public List<Long> arrivals() {
    return List.copyOf(arrivals);
  }

  /** The SHA-256 of every request body, in arrival order (a repeated request repeats it). */
  public List<String> bodyDigests() {
    return List.copyOf(bodies);
  }

  /** Requests being answered right now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Starts a new measurement of {@link #maxInFlight()}. */
  public void resetMaxInFlight() {
    maxInFlight.set(0);
  }

  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** Every Authorization / x-goog-api-key header seen (for the no-leak test). */
  public List<String> authHeaders() {
    return List.copyOf(authHeaders);
  }

  private void handle(HttpExchange ex) throws IOException {
    counted.set(true);
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      long arrived = System.nanoTime();
      arrivals.add(arrived);
      requests.incrementAndGet();
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      String goog = ex.getRequestHeaders().getFirst("x-goog-api-key");
      authHeaders.add(String.valueOf(auth) + "|" + goog);
      String path = ex.getRequestURI().getPath();
      paths.add(path);
      if (batches.handles(ex.getRequestMethod(), path)) {
        batches.handle(ex);
        return;
      }
      byte[] raw = ex.getRequestBody().readAllBytes();
      bodies.add(io.convoforge.core.llm.Prompts.sha256(path + "\0"
          + new String(raw, java.nio.charset.StandardCharsets.UTF_8)));
      JsonNode body = Json.MAPPER.readTree(raw);
      if (path.endsWith("/embeddings") || path.endsWith(":batchEmbedContents")
          || path.endsWith(":predict") || path.endsWith(":embedContent")) {
        embed(ex, path, body, arrived);
        return;
      }
      boolean openAi = path.endsWith("/chat/completions");
      boolean gen = path.endsWith(":generateContent");
      if (!openAi && !gen) {
        send(ex, 404, "{\"error\":{\"message\":\"no such path\"}}", null);
        return;
      }
      Chat c = chat(body, openAi);
      if (answeredWithFault(ex, c.fault(), arrived)) {
        return;
      }
      // The latency is the server's response time: arrival to answer, computing included.
      sleepUntil(arrived + latencyMs * 1_000_000);
      send(ex, 200, c.body(), null);
    } catch (RuntimeException e) {
      send(ex, 500, error(500, "INTERNAL", "stub bug: " + e), null);
    } finally {
      finished(ex);
    }
  }

  /** A chat request's stage, the fault the rules give it (or null) and the answer's body. */
  record Chat(String stage, Fault fault, String body) {}

  /**
   * Answers a chat request body (OpenAI chat completions, or a {@code generateContent} request)
   * as the endpoint would, counted as one request of its stage; also what a batch line gets.
   */
  Chat chat(JsonNode body, boolean openAi) {
    JsonNode schema = openAi ? body.path("response_format").path("json_schema").path("schema")
        : firstPresent(body.path("generationConfig"), "responseJsonSchema",
            "response_json_schema", "responseSchema");
    String stage = stageOf(schema);
    byStage.computeIfAbsent(stage, k -> new AtomicInteger()).incrementAndGet();
    List<String> userTexts = new java.util.ArrayList<>();
    if (openAi) {
      for (JsonNode m : body.path("messages")) {
        if ("user".equals(m.path("role").asText())) {
          userTexts.add(text(m.path("content")));
        }
      }
    } else {
      for (JsonNode c : body.path("contents")) {
        if (!"model".equals(c.path("role").asText())) {
          StringBuilder sb = new StringBuilder();
          c.path("parts").forEach(p -> sb.append(p.path("text").asText()));
          userTexts.add(sb.toString());
        }
      }
    }
    Fault fault = pick(stage, userTexts.size() > 1);
    String answer;
    boolean truncated = false;
    if (fault == Fault.MALFORMED_JSON) {
      answer = "{\"steps\": [ this is not JSON";
    } else if (fault == Fault.SCHEMA_BREAKING) {
      answer = "{\"unexpected\": true}";
    } else if (fault == Fault.LENGTH) {
      String full = answer(stage, userTexts.isEmpty() ? "" : userTexts.get(0), schema);
      answer = full.substring(0, Math.max(1, full.length() / 2));
      truncated = true;
    } else {
      answer = answer(stage, userTexts.isEmpty() ? "" : userTexts.get(0), schema);
    }
    long in = body.toString().length() / 4;
    long out = answer.length() / 4 + 1;
    return new Chat(stage, fault, openAi ? openAiBody(answer, truncated, in, out)
        : genBody(answer, truncated, in, out));
  }

  /**
   * The faults every endpoint shares: a 429 with Retry-After or a 500, answered at the stub's
   * latency (true: the exchange is done), or a timeout, which only delays the answer.
   */
  private boolean answeredWithFault(HttpExchange ex, Fault fault, long arrived)
      throws IOException {
    if (fault == Fault.RATE_LIMIT || fault == Fault.SERVER_ERROR) {
      sleepUntil(arrived + latencyMs * 1_000_000);
      if (fault == Fault.RATE_LIMIT && retryInfoSeconds >= 0) {
        ObjectNode body = (ObjectNode) Json.MAPPER.readTree(
            error(429, "RESOURCE_EXHAUSTED", "slow down"));
        ((ObjectNode) body.get("error")).putArray("details").addObject()
            .put("@type", "type.googleapis.com/google.rpc.RetryInfo")
            .put("retryDelay", retryInfoSeconds + "s");
        send(ex, 429, body.toString(), null);
      } else if (fault == Fault.RATE_LIMIT) {
        send(ex, 429, error(429, "RESOURCE_EXHAUSTED", "slow down"),
            String.valueOf(retryAfterSeconds));
      } else {
        send(ex, 500, error(500, "INTERNAL", "the stub failed"), null);
      }
      return true;
    }
    if (fault == Fault.UNAUTHORIZED || fault == Fault.NOT_FOUND || fault == Fault.BAD_REQUEST) {
      int code = fault == Fault.UNAUTHORIZED ? 401 : fault == Fault.NOT_FOUND ? 404 : 400;
      send(ex, code, error(code, fault == Fault.UNAUTHORIZED ? "UNAUTHENTICATED"
          : fault == Fault.NOT_FOUND ? "NOT_FOUND" : "INVALID_ARGUMENT",
          "refused by the stub"), null);
      return true;
    }
    if (fault == Fault.TIMEOUT) {
      sleep(timeoutSleepMs);
    }
    return false;
  }

  /**
   * Stage {@code embed}: OpenAI {@code /embeddings}, Gemini API {@code :batchEmbedContents},
   * Vertex AI {@code :predict} or {@code :embedContent}, with {@link #vector} for each text.
   */
  private void embed(HttpExchange ex, String path, JsonNode body, long arrived)
      throws IOException {
    byStage.computeIfAbsent(EMBED, k -> new AtomicInteger()).incrementAndGet();
    List<String> texts = new java.util.ArrayList<>();
    JsonNode dims;
    if (path.endsWith("/embeddings")) {
      if (body.path("input").isTextual()) {
        texts.add(body.path("input").asText());
      } else {
        body.path("input").forEach(t -> texts.add(t.asText()));
      }
      dims = body.path("dimensions");
    } else if (path.endsWith(":batchEmbedContents")) {
      body.path("requests").forEach(r -> texts.add(text(r.path("content").path("parts"))));
      dims = body.path("requests").path(0).path("outputDimensionality");
    } else if (path.endsWith(":predict")) {
      body.path("instances").forEach(i -> texts.add(i.path("content").asText()));
      dims = body.path("parameters").path("outputDimensionality");
    } else {
      texts.add(text(body.path("content").path("parts")));
      dims = body.path("embedContentConfig").path("outputDimensionality");
    }
    int n = dims.isNumber() ? dims.asInt() : EMBED_DIM;
    Fault fault = pick(EMBED, false);
    if (answeredWithFault(ex, fault, arrived)) {
      return;
    }
    sleepUntil(arrived + latencyMs * 1_000_000);
    embeddedTexts.addAndGet(texts.size());
    ObjectNode r = Json.MAPPER.createObjectNode();
    long tokens = 0;
    ArrayNode list;
    if (path.endsWith("/embeddings")) {
      r.put("object", "list").put("model", body.path("model").asText("stub"));
      list = r.putArray("data");
    } else if (path.endsWith(":batchEmbedContents")) {
      list = r.putArray("embeddings");
    } else if (path.endsWith(":predict")) {
      list = r.putArray("predictions");
    } else {
      list = Json.MAPPER.createArrayNode();
    }
    for (int i = 0; i < texts.size(); i++) {
      ArrayNode values = Json.MAPPER.createArrayNode();
      for (float f : vector(texts.get(i), n)) {
        values.add(f);
      }
      long t = texts.get(i).length() / 4 + 1;
      tokens += t;
      if (path.endsWith("/embeddings")) {
        list.addObject().put("object", "embedding").put("index", i).set("embedding", values);
      } else if (path.endsWith(":predict")) {
        ObjectNode e = list.addObject().putObject("embeddings");
        e.set("values", values);
        e.putObject("statistics").put("token_count", t).put("truncated", false);
      } else if (path.endsWith(":batchEmbedContents")) {
        list.addObject().set("values", values);
      } else {
        r.putObject("embedding").set("values", values);
      }
    }
    if (path.endsWith("/embeddings")) {
      r.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    }
    send(ex, 200, r.toString(), null);
  }

  /**
   * The stub's embedding of a text: {@code n} floats seeded by the text's hash, not unit length
   * (clients normalise), identical for identical texts.
   */
  public static float[] vector(String text, int n) {
    SplittableRandom rnd = new SplittableRandom(Seeds.hash(text));
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (3 * (rnd.nextDouble() * 2 - 1));
    }
    return v;
  }

  private Fault pick(String stage, boolean reAsk) {
    for (Rule r : rules) {
      if (r.stage() != null && !r.stage().equals(stage)) {
        continue;
      }
      if (r.firstAskOnly()) {
        if (!reAsk) {
          return r.fault();
        }
        continue;
      }
      int left = r.remaining().get();
      while (left != 0) {
        if (left < 0 || r.remaining().compareAndSet(left, left - 1)) {
          return r.fault();
        }
        left = r.remaining().get();
      }
    }
    return null;
  }

  static String stageOf(JsonNode schema) {
    JsonNode props = schema.path("properties");
    if (props.has("turns")) {
      return "utterances";
    }
    if (props.has("action") && props.has("sql")) {
      return "solve";
    }
    if (props.path("questions").path("items").path("properties").has("hint")) {
      return "questions";
    }
    if (props.has("messages")) {
      return "generate";
    }
    if (props.size() > 0 && allRubric(props)) {
      return "judge";
    }
    JsonNode item = props.path("steps").path("items").path("properties");
    if (item.has("purpose")) {
      return "plan";
    }
    if (item.has("index")) {
      return "args";
    }
    return "unknown";
  }

  /** A rubric: every property an object with a boolean {@code passed}. */
  private static boolean allRubric(JsonNode props) {
    for (JsonNode p : props) {
      if (!"boolean".equals(p.path("properties").path("passed").path("type").asText())) {
        return false;
      }
    }
    return true;
  }

  private static String answer(String stage, String prompt, JsonNode schema) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    switch (stage) {
      case "plan": {
        ArrayNode steps = root.putArray("steps");
        Matcher m = STEPS.matcher(prompt);
        if (m.find()) {
          for (String tool : m.group(1).trim().split(" -> ")) {
            steps.addObject().put("tool", tool.trim()).put("purpose", "Call " + tool.trim());
          }
        }
        break;
      }
      case "args": {
        ArrayNode steps = root.putArray("steps");
        for (String line : prompt.split("\n")) {
          if (line.startsWith("[{")) {
            try {
              for (JsonNode f : Json.MAPPER.readTree(line)) {
                steps.addObject().put("index", f.path("index").asInt())
                    .set("values", f.path("values"));
              }
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
          }
        }
        break;
      }
      case "utterances": {
        // Keeps every fact of the drafts, as a faithful model would.
        ArrayNode turns = root.putArray("turns");
        Matcher m = TURNS.matcher(prompt);
        int n = m.find() ? Integer.parseInt(m.group(1)) : 1;
        JsonNode drafts = Json.MAPPER.createArrayNode();
        for (String line : prompt.split("\n")) {
          if (line.startsWith("[{\"")) {
            try {
              drafts = Json.MAPPER.readTree(line);
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
          }
        }
        for (int i = 0; i < n; i++) {
          JsonNode d = drafts.path(i);
          turns.addObject().put("user", "(stub) " + d.path("user_draft").asText("Hello."))
              .put("assistant", "(stub) " + d.path("assistant_draft").asText("Done."));
        }
        break;
      }
      case "generate":
        return scenarioCall(prompt);
      case "judge":
        schema.path("properties").fieldNames().forEachRemaining(
            name -> root.putObject(name).put("passed", true).put("detail", "fine"));
        break;
      case "questions": {
        // csv-agent: n questions that counting the table's rows answers.
        Matcher m = PROPOSE.matcher(prompt);
        int n = m.find() ? Integer.parseInt(m.group(1)) : 1;
        ArrayNode qs = root.putArray("questions");
        for (int i = 1; i <= n; i++) {
          qs.addObject().put("text", "How many rows does the table have? (question " + i + ")")
              .put("hint", "COUNT(*)").put("difficulty", "EASY");
        }
        break;
      }
      case "solve": {
        // csv-agent: count the rows in SQL, then answer with the count the result shows.
        Matcher result = RESULT.matcher(prompt);
        String last = null;
        while (result.find()) {
          last = result.group(1);
        }
        if (last == null) {
          Matcher t = TABLE.matcher(prompt);
          root.put("action", "sql").put("sql", "SELECT COUNT(*) AS n FROM "
              + (t.find() ? t.group(1) : "t")).putNull("answer");
        } else {
          try {
            root.put("action", "answer").putNull("sql")
                .set("answer", Json.MAPPER.readTree(last).path("rows").path(0).path(0));
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }
        break;
      }
      default:
        break;
    }
    return root.toString();
  }

  /**
   * A scenario-dialogue call as a faithful model would write it from the generate prompt: the
   * number of messages, the first speaker and the language (es or en) it asks for, roles
   * alternating, and the scenario's last progression step said in the last messages.
   */
  public static String scenarioCall(String prompt) {
    Matcher turns = CALL_TURNS.matcher(prompt);
    Matcher first = CALL_FIRST.matcher(prompt);
    Matcher lang = CALL_LANGUAGE.matcher(prompt);
    Matcher prog = CALL_PROGRESSION.matcher(prompt);
    int n = turns.find() ? Integer.parseInt(turns.group(1)) : 2;
    boolean agent = !first.find() || first.group(1).equals("agent");
    boolean es = lang.find() && lang.group(1).toLowerCase(java.util.Locale.ROOT).startsWith("es");
    String[] steps = prog.find() ? prog.group(1).split("\\s*(?:→|->|=>|;)\\s*") : new String[] {""};
    String outcome = steps[steps.length - 1].replaceAll("\\.$", "");
    ArrayNode messages = Json.MAPPER.createObjectNode().putArray("messages");
    for (int i = 0; i < n; i++) {
      boolean agentSpeaks = (i % 2 == 0) == agent;
      boolean late = i >= n - (n + 2) / 3;
      String text;
      if (es) {
        text = agentSpeaks
            ? (late ? "Ya está: acabo de " + outcome + " y le llegará un aviso por correo."
                : "De acuerdo, lo reviso ahora mismo en el sistema y le digo algo.")
            : (late ? "Perfecto, entonces queda hecho lo de " + outcome + ". Muchas gracias."
                : "Hola, llamo porque tengo un problema con mi cuenta y quiero que lo vean.");
      } else {
        text = agentSpeaks
            ? (late ? "All done: I have just made sure to " + outcome + " for you."
                : "Sure, I can help you with that and I will check it in the system now.")
            : (late ? "Great, so that is done: " + outcome + ". Thank you so much."
                : "Hi, I am calling because I have a problem with my account and I need help.");
      }
      messages.addObject().put("role", agentSpeaks ? "agent" : "client").put("text", text);
    }
    return Json.write(Map.of("messages", messages));
  }

  private static String openAiBody(String content, boolean truncated, long in, long out) {
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("id", "chatcmpl-stub").put("object", "chat.completion").put("created", 0)
        .put("model", "stub");
    ObjectNode choice = r.putArray("choices").addObject();
    choice.put("index", 0).put("finish_reason", truncated ? "length" : "stop");
    choice.putNull("logprobs");
    choice.putObject("message").put("role", "assistant").put("content", content)
        .putNull("refusal");
    r.putObject("usage").put("prompt_tokens", in).put("completion_tokens", out)
        .put("total_tokens", in + out);
    return r.toString();
  }

  private static String genBody(String text, boolean truncated, long in, long out) {
    ObjectNode r = Json.MAPPER.createObjectNode();
    ObjectNode cand = r.putArray("candidates").addObject();
    cand.putObject("content").put("role", "model").putArray("parts").addObject()
        .put("text", text);
    cand.put("finishReason", truncated ? "MAX_TOKENS" : "STOP");
    r.putObject("usageMetadata").put("promptTokenCount", in).put("candidatesTokenCount", out)
        .put("totalTokenCount", in + out);
    return r.toString();
  }

  static String error(int code, String status, String message) {
    return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\""
        + status + "\",\"type\":\"" + status + "\"}}";
  }

  private static JsonNode firstPresent(JsonNode n, String... names) {
    for (String name : names) {
      if (n.has(name)) {
        return n.get(name);
      }
    }
    return Json.MAPPER.createObjectNode();
  }

  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    content.forEach(p -> sb.append(p.path("text").asText()));
    return sb.toString();
  }

  /**
   * The request stops counting as in flight once, before its answer is written (a client can
   * send its next request as soon as it has read this one's answer). A handler runs on one
   * thread from arrival to answer, so a thread-local flag marks it.
   */
  private void finished(HttpExchange ex) {
    if (counted.get()) {
      counted.set(false);
      inFlight.decrementAndGet();
    }
  }

  void send(HttpExchange ex, int code, String body, String retryAfter)
      throws IOException {
    finished(ex);
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    if (retryAfter != null) {
      ex.getResponseHeaders().add("Retry-After", retryAfter);
    }
    try {
      ex.sendResponseHeaders(code, b.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(b);
      }
    } catch (IOException e) {
      // The client gave up (a timeout test): nothing to answer.
    } finally {
      ex.close();
    }
  }

  private static void sleepUntil(long nanoTime) {
    sleep((nanoTime - System.nanoTime()) / 1_000_000);
  }

  private static void sleep(long ms) {
    if (ms <= 0) {
      return;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
