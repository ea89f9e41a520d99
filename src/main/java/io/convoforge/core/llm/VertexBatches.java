package io.convoforge.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.genai.Client;
import com.google.genai.types.BatchJob;
import com.google.genai.types.BatchJobDestination;
import com.google.genai.types.BatchJobSource;
import com.google.genai.types.CreateBatchJobConfig;
import com.google.genai.types.GenerateContentResponse;
import io.convoforge.core.model.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Vertex AI batch prediction through the Gen AI SDK: the requests are written as JSONL ({@code
 * {"key": cache key, "request": GenerateContentRequest}}) to {@code <staging>/<manifest>/
 * input.jsonl} through Beam {@link FileSystems} ({@code gs://} in production, any folder a local
 * endpoint can read in tests), a batch prediction job reads it and writes its predictions under
 * {@code <staging>/<manifest>/output}, and the finished job's output directory is read back. A
 * result line is matched by its {@code key}, or by the request it echoes.
 */
final class VertexBatches extends GenAiBatches {
  private final String staging;

  VertexBatches(Client client, String staging) {
    super(client);
    this.staging = staging.replaceAll("/+$", "");
  }

  @Override
  public int maxRequests() {
    return 150_000;
  }

  @Override
  public long maxBytes() {
    return 1_000_000_000L;
  }

  @Override
  public String submit(String manifestId, String model, SortedMap<String, LlmRequest> requests)
      throws LlmException {
    String dir = staging + "/" + manifestId + "/";
    StringBuilder jsonl = new StringBuilder();
    for (Map.Entry<String, LlmRequest> e : requests.entrySet()) {
      ObjectNode line = Json.MAPPER.createObjectNode().put("key", e.getKey());
      line.set("request", request(e.getValue()));
      jsonl.append(line).append('\n');
    }
    try {
      ResponseCache.writeAtomically(dir + "input.jsonl",
          jsonl.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new LlmException(LlmException.Kind.TRANSIENT, "writing the batch input: "
          + e.getMessage(), -1);
    }
    try {
      BatchJob job = client.batches.create(model,
          BatchJobSource.builder().gcsUri(List.of(dir + "input.jsonl")).format("jsonl").build(),
          CreateBatchJobConfig.builder().displayName(manifestId)
              .dest(BatchJobDestination.builder().gcsUri(dir + "output").format("jsonl")
                  .build())
              .build());
      return job.name().orElseThrow(() -> new LlmException(LlmException.Kind.TRANSIENT,
          "the created job has no name", -1));
    } catch (RuntimeException e) {
      throw GenAiClient.failure(e);
    }
  }

  /** The REST {@code GenerateContentRequest} of {@code r}: what the online path sends. */
  static ObjectNode request(LlmRequest r) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    ArrayNode contents = n.putArray("contents");
    for (int i = 0; i < r.messages().size(); i++) {
      contents.addObject().put("role", i % 2 == 0 ? "user" : "model").putArray("parts")
          .addObject().put("text", r.messages().get(i));
    }
    if (r.system() != null && !r.system().isBlank()) {
      n.putObject("systemInstruction").putArray("parts").addObject().put("text", r.system());
    }
    ObjectNode g = n.putObject("generationConfig");
    if (r.temperature() != null) {
      g.put("temperature", r.temperature());
    }
    if (r.topP() != null) {
      g.put("topP", r.topP());
    }
    if (r.maxTokens() != null) {
      g.put("maxOutputTokens", r.maxTokens());
    }
    g.put("responseMimeType", "application/json");
    g.set("responseJsonSchema", r.schema());
    return n;
  }

  @Override
  public Results results(Polled finished, String manifestId, Map<String, LlmRequest> known)
      throws LlmException {
    BatchJob job = (BatchJob) finished.handle();
    String dir = job.outputInfo().flatMap(o -> o.gcsOutputDirectory())
        .orElse(staging + "/" + manifestId + "/output").replaceAll("/+$", "");
    Map<String, String> byRequest = new HashMap<>();
    known.forEach((k, r) -> byRequest.put(request(r).toString(), k));
    Map<String, Line> lines = new HashMap<>();
    int unreadable = 0;
    try {
      for (MatchResult m : FileSystems.match(List.of(dir + "/*.jsonl", dir + "/*/*.jsonl"),
          EmptyMatchTreatment.ALLOW)) {
        if (m.status() != MatchResult.Status.OK) {
          continue;
        }
        for (MatchResult.Metadata f : m.metadata()) {
          try (BufferedReader in = new BufferedReader(new InputStreamReader(
              Channels.newInputStream(FileSystems.open(f.resourceId())),
              StandardCharsets.UTF_8))) {
            for (String text = in.readLine(); text != null; text = in.readLine()) {
              if (!text.isBlank() && !read(text, byRequest, lines)) {
                unreadable++;
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new LlmException(LlmException.Kind.TRANSIENT, "reading the batch output: "
          + e.getMessage(), -1);
    }
    return new Results(lines, unreadable);
  }

  private static boolean read(String text, Map<String, String> byRequest,
      Map<String, Line> lines) {
    JsonNode line;
    try {
      line = Json.MAPPER.readTree(text);
    } catch (IOException e) {
      return false;
    }
    String key = line.path("key").asText(null);
    if (key == null) {
      key = byRequest.get(line.path("request").toString());
    }
    if (key == null) {
      return false;
    }
    JsonNode resp = line.path("response");
    if (resp.isObject()) {
      try {
        lines.put(key, Line.ok(GenAiClient.reply(GenerateContentResponse.fromJson(
            resp.toString()))));
      } catch (RuntimeException e) {
        lines.put(key, Line.failed(LlmException.Kind.TRANSIENT, "malformed result line"));
      }
    } else {
      String status = line.path("status").asText("no response");
      boolean permanent = status.contains("INVALID_ARGUMENT") || status.contains("400")
          || status.contains("PERMISSION_DENIED") || status.contains("NOT_FOUND");
      lines.put(key, Line.failed(permanent ? LlmException.Kind.PERMANENT
          : LlmException.Kind.TRANSIENT, "status: " + status));
    }
    return true;
  }
}
