package io.convoforge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.convoforge.core.model.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The batch endpoints of {@link StubLlmServer}, as the SDKs call them. OpenAI: {@code POST
 * /v1/files} (multipart), {@code POST /v1/batches}, {@code GET /v1/batches/{id}}, {@code GET
 * /v1/batches}, {@code GET /v1/files/{id}/content}. Gemini API: {@code POST
 * /v1beta/models/{m}:batchGenerateContent} with inlined requests, {@code GET
 * /v1beta/batches/{id}} (the operation, with inlined responses when done), {@code GET
 * /v1beta/batches}. Vertex AI: {@code POST .../batchPredictionJobs} reading its {@code gcsSource}
 * through Beam {@link FileSystems} (a local folder in tests), {@code GET
 * .../batchPredictionJobs/{id}} writing {@code predictions.jsonl} under the output prefix when
 * done, {@code GET .../batchPredictionJobs}.
 *
 * <p>A batch finishes on its {@link #pollsToFinish}th poll unless {@link #hold held}; each line
 * is then answered by the server's chat logic (its fault rules apply, a 429 or 500 becomes a
 * failed line). Faults of whole batches ({@link Fault#EXPIRE} and {@link Fault#CANCEL} answer
 * the first half of the lines, {@link Fault#FAIL_BATCH} none) and of single lines are injected
 * on request. Calls are counted by kind: upload, create, poll, download, list.
 */
public final class StubBatches {
  /** Faults: of the next batches created, or of the next lines answered. */
  public enum Fault {
    EXPIRE, CANCEL, FAIL_BATCH, FAIL_LINES, REFUSE_LINES, DROP_LINES, MALFORMED_LINES,
    MALFORMED_BODIES
  }

  static final String OPENAI = "openai";
  static final String GEMINI = "gemini";
  static final String VERTEX = "vertex";

  private final StubLlmServer server;
  private final Map<Fault, AtomicInteger> faults = new ConcurrentHashMap<>();
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> created = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger(1000);
  private final CountDownLatch firstPoll = new CountDownLatch(1);
  private volatile int pollsToFinish = 1;
  private volatile boolean held;

  /** One batch: its lines (key, chat body, the input line) and what became of it. */
  static final class Job {
    final String provider;
    final String id;
    final String label;
    final String model;
    final List<JsonNode[]> lines;
    final String outputPrefix;
    final Fault fault;
    volatile String state = "running";
    int polls;
    ObjectNode inlined;
    String outputFile;
    String errorFile;

    Job(String provider, String id, String label, String model, List<JsonNode[]> lines,
        String outputPrefix, Fault fault) {
      this.provider = provider;
      this.id = id;
      this.label = label;
      this.model = model;
      this.lines = lines;
      this.outputPrefix = outputPrefix;
      this.fault = fault;
    }
  }

  StubBatches(StubLlmServer server) {
    this.server = server;
  }

  /** The next {@code times} batches (EXPIRE, CANCEL, FAIL_BATCH) or lines get {@code f}. */
  public StubBatches fault(Fault f, int times) {
    faults.computeIfAbsent(f, k -> new AtomicInteger()).addAndGet(times);
    return this;
  }

  /** A batch finishes on its n-th poll (default 1). */
  public StubBatches pollsToFinish(int n) {
    pollsToFinish = n;
    return this;
  }

  /** No batch finishes until {@link #release}. */
  public StubBatches hold() {
    held = true;
    return this;
  }

  public void release() {
    held = false;
  }

  /** Calls of a kind: upload, create, poll, download, list. */
  public int calls(String kind) {
    AtomicInteger n = calls.get(kind);
    return n == null ? 0 : n.get();
  }

  /** Batches created whose requests belong to {@code stage}. */
  public int created(String stage) {
    AtomicInteger n = created.get(stage);
    return n == null ? 0 : n.get();
  }

  /** Lines of every batch created, by stage of the batch. */
  public int lines() {
    return jobs.values().stream().mapToInt(j -> j.lines.size()).sum();
  }

  /** Waits until some batch has been polled (its submitter recorded it first). */
  public boolean awaitFirstPoll(long seconds) throws InterruptedException {
    return firstPoll.await(seconds, TimeUnit.SECONDS);
  }

  boolean handles(String method, String path) {
    return path.startsWith("/v1/files") || path.startsWith("/v1/batches")
        || path.endsWith(":batchGenerateContent") || path.startsWith("/v1beta/batches")
        || path.contains("/batchPredictionJobs");
  }

  void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    byte[] body = ex.getRequestBody().readAllBytes();
    boolean get = "GET".equals(ex.getRequestMethod());
    if (path.equals("/v1/files")) {
      upload(ex, body);
    } else if (path.startsWith("/v1/files/") && path.endsWith("/content")) {
      count("download");
      byte[] b = files.get(path.substring("/v1/files/".length(), path.length() - 8));
      sendBytes(ex, b == null ? 404 : 200, b == null ? new byte[0] : b);
    } else if (path.equals("/v1/batches") && !get) {
      JsonNode req = Json.MAPPER.readTree(body);
      List<JsonNode[]> lines = new ArrayList<>();
      byte[] file = files.get(req.path("input_file_id").asText());
      for (String l : new String(file, StandardCharsets.UTF_8).split("\n")) {
        if (!l.isBlank()) {
          JsonNode n = Json.MAPPER.readTree(l);
          lines.add(new JsonNode[] {n.path("custom_id"), n.path("body"), n});
        }
      }
      Job j = create(OPENAI, "batch_" + ids.incrementAndGet(),
          req.path("metadata").path("convoforge_manifest").asText(null),
          lines.get(0)[1].path("model").asText(), lines, null);
      j.outputFile = null;
      server.send(ex, 200, StubBatchFormats.openAi(j).toString(), null);
    } else if (path.equals("/v1/batches")) {
      count("list");
      ObjectNode r = Json.MAPPER.createObjectNode().put("object", "list").put("has_more", false);
      ArrayNode data = r.putArray("data");
      jobs.values().stream().filter(j -> j.provider.equals(OPENAI)).forEach(j -> data.add(
          StubBatchFormats.openAi(j)));
      server.send(ex, 200, r.toString(), null);
    } else if (path.startsWith("/v1/batches/")) {
      Job j = poll(path.substring("/v1/batches/".length()));
      server.send(ex, j == null ? 404 : 200,
          j == null ? notFound() : StubBatchFormats.openAi(j).toString(), null);
    } else if (path.endsWith(":batchGenerateContent")) {
      geminiCreate(ex, path, Json.MAPPER.readTree(body));
    } else if (path.startsWith("/v1beta/batches") && path.length() > "/v1beta/batches/".length()) {
      Job j = poll("batches/" + path.substring("/v1beta/batches/".length()));
      server.send(ex, j == null ? 404 : 200,
          j == null ? notFound() : StubBatchFormats.gemini(j).toString(), null);
    } else if (path.startsWith("/v1beta/batches")) {
      count("list");
      ObjectNode r = Json.MAPPER.createObjectNode();
      ArrayNode ops = r.putArray("operations");
      jobs.values().stream().filter(j -> j.provider.equals(GEMINI)).forEach(j -> ops.add(
          StubBatchFormats.gemini(j)));
      server.send(ex, 200, r.toString(), null);
    } else if (path.endsWith("/batchPredictionJobs") && !get) {
      vertexCreate(ex, path, Json.MAPPER.readTree(body));
    } else if (path.endsWith("/batchPredictionJobs")) {
      count("list");
      ObjectNode r = Json.MAPPER.createObjectNode();
      ArrayNode list = r.putArray("batchPredictionJobs");
      jobs.values().stream().filter(j -> j.provider.equals(VERTEX)).forEach(j -> list.add(
          StubBatchFormats.vertex(j)));
      server.send(ex, 200, r.toString(), null);
    } else {
      Job j = poll(path.substring(path.indexOf("projects/")));
      server.send(ex, j == null ? 404 : 200,
          j == null ? notFound() : StubBatchFormats.vertex(j).toString(), null);
    }
  }

  private void upload(HttpExchange ex, byte[] body) throws IOException {
    count("upload");
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    String boundary = "--" + type.substring(type.indexOf("boundary=") + 9).replace("\"", "");
    String all = new String(body, StandardCharsets.ISO_8859_1);
    int part = all.indexOf("name=\"file\"");
    int start = all.indexOf("\r\n\r\n", part) + 4;
    int end = all.indexOf("\r\n" + boundary, start);
    String id = "file-" + ids.incrementAndGet();
    files.put(id, all.substring(start, end).getBytes(StandardCharsets.ISO_8859_1));
    ObjectNode r = Json.MAPPER.createObjectNode().put("id", id).put("object", "file")
        .put("bytes", end - start).put("created_at", 0).put("filename", "batch.jsonl")
        .put("purpose", "batch").put("status", "processed");
    server.send(ex, 200, r.toString(), null);
  }

  private void geminiCreate(HttpExchange ex, String path, JsonNode body) throws IOException {
    List<JsonNode[]> lines = new ArrayList<>();
    for (JsonNode r : body.path("batch").path("inputConfig").path("requests").path("requests")) {
      lines.add(new JsonNode[] {r.path("metadata").path("convoforge_key"), r.path("request"), r});
    }
    String model = path.substring(path.indexOf("models/"), path.indexOf(':'));
    Job j = create(GEMINI, "batches/stub" + ids.incrementAndGet(),
        body.path("batch").path("displayName").asText(null), model, lines, null);
    server.send(ex, 200, StubBatchFormats.gemini(j).toString(), null);
  }

  private void vertexCreate(HttpExchange ex, String path, JsonNode body) throws IOException {
    List<JsonNode[]> lines = new ArrayList<>();
    for (JsonNode uri : body.path("inputConfig").path("gcsSource").path("uris")) {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(
          FileSystems.open(FileSystems.matchNewResource(uri.asText(), false))),
          StandardCharsets.UTF_8))) {
        for (String l = in.readLine(); l != null; l = in.readLine()) {
          JsonNode n = Json.MAPPER.readTree(l);
          lines.add(new JsonNode[] {n.path("key"), n.path("request"), n});
        }
      }
    }
    String parent = path.substring(path.indexOf("projects/"), path.lastIndexOf('/'));
    Job j = create(VERTEX, parent + "/batchPredictionJobs/" + ids.incrementAndGet(),
        body.path("displayName").asText(null), body.path("model").asText(), lines,
        body.path("outputConfig").path("gcsDestination").path("outputUriPrefix").asText());
    server.send(ex, 200, StubBatchFormats.vertex(j).toString(), null);
  }

  private Job create(String provider, String id, String label, String model,
      List<JsonNode[]> lines, String outputPrefix) {
    count("create");
    boolean openAi = OPENAI.equals(provider);
    JsonNode first = lines.get(0)[1];
    String stage = StubLlmServer.stageOf(openAi
        ? first.path("response_format").path("json_schema").path("schema")
        : first.path("generationConfig").path("responseJsonSchema"));
    created.computeIfAbsent(stage, k -> new AtomicInteger()).incrementAndGet();
    Fault fault = null;
    for (Fault f : new Fault[] {Fault.EXPIRE, Fault.CANCEL, Fault.FAIL_BATCH}) {
      if (fault == null && take(f)) {
        fault = f;
      }
    }
    Job j = new Job(provider, id, label, model, lines, outputPrefix, fault);
    jobs.put(id, j);
    return j;
  }

  /** A poll: counts it and, on the job's n-th poll unless held, finishes it. */
  private synchronized Job poll(String id) throws IOException {
    count("poll");
    firstPoll.countDown();
    Job j = jobs.get(id);
    if (j != null && "running".equals(j.state) && !held && ++j.polls >= pollsToFinish) {
      finish(j);
    }
    return j;
  }

  /** Answers every line, with the faults asked for, in the provider's output format. */
  private void finish(Job j) throws IOException {
    boolean openAi = OPENAI.equals(j.provider);
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    ArrayNode inlined = Json.MAPPER.createArrayNode();
    int half = j.lines.size() / 2;
    for (int i = 0; i < j.lines.size() && j.fault != Fault.FAIL_BATCH; i++) {
      JsonNode key = j.lines.get(i)[0];
      if ((j.fault == Fault.EXPIRE || j.fault == Fault.CANCEL) && i >= half) {
        if (openAi) {
          ObjectNode l = Json.MAPPER.createObjectNode().put("custom_id", key.asText())
              .putNull("response");
          l.putObject("error").put("message", "not processed")
              .put("code", j.fault == Fault.EXPIRE ? "batch_expired" : "batch_cancelled");
          err.append(l).append('\n');
        }
        continue;
      }
      if (take(Fault.DROP_LINES)) {
        continue;
      }
      if (take(Fault.MALFORMED_LINES)) {
        (openAi ? out : err).append("{\"custom_id\": \"").append(key.asText(), 0, 7)
            .append('\n');
        if (!openAi) {
          inlined.addObject().put("unexpected", true);
        }
        continue;
      }
      int status = 200;
      String body = null;
      if (take(Fault.FAIL_LINES)) {
        status = 500;
      } else if (take(Fault.REFUSE_LINES)) {
        status = 400;
      } else if (take(Fault.MALFORMED_BODIES)) {
        body = "\"not a response\"";
      } else {
        StubLlmServer.Chat c = server.chat(j.lines.get(i)[1], openAi);
        status = c.fault() == StubLlmServer.Fault.RATE_LIMIT ? 429
            : c.fault() == StubLlmServer.Fault.SERVER_ERROR ? 500 : 200;
        body = c.body();
      }
      StubBatchFormats.line(j, key, j.lines.get(i)[2], status, body, out, err, inlined);
    }
    j.state = j.fault == null ? "succeeded" : switch (j.fault) {
      case EXPIRE -> "expired";
      case CANCEL -> "cancelled";
      default -> "failed";
    };
    if (openAi) {
      if (out.length() > 0) {
        j.outputFile = "file-" + ids.incrementAndGet();
        files.put(j.outputFile, out.toString().getBytes(StandardCharsets.UTF_8));
      }
      if (err.length() > 0) {
        j.errorFile = "file-" + ids.incrementAndGet();
        files.put(j.errorFile, err.toString().getBytes(StandardCharsets.UTF_8));
      }
    } else if (GEMINI.equals(j.provider)) {
      j.inlined = Json.MAPPER.createObjectNode();
      j.inlined.set("inlinedResponses", inlined);
    } else if (j.fault != Fault.FAIL_BATCH) {
      String dir = j.outputPrefix + "/prediction-model-stub/predictions.jsonl";
      try (OutputStream o = Channels.newOutputStream(FileSystems.create(
          FileSystems.matchNewResource(dir, false), MimeTypes.TEXT))) {
        o.write((out.toString() + err).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static String notFound() {
    return StubLlmServer.error(404, "NOT_FOUND", "no such batch");
  }

  private boolean take(Fault f) {
    AtomicInteger n = faults.get(f);
    return n != null && n.getAndUpdate(x -> Math.max(0, x - 1)) > 0;
  }

  private void count(String kind) {
    calls.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
  }

  private void sendBytes(HttpExchange ex, int code, byte[] b) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
    ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    } finally {
      ex.close();
    }
  }
}
