package io.convoforge.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.MultipartField;
import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponse;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.batches.BatchError;
import com.openai.models.batches.BatchListPage;
import com.openai.models.batches.BatchListParams;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FilePurpose;
import io.convoforge.core.model.Json;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * OpenAI's Batch API through openai-java: the requests as a JSONL file ({@code custom_id} = the
 * cache key, {@code body} = exactly the chat completion request of the online path) uploaded with
 * purpose {@code batch}, a batch on {@code /v1/chat/completions} with a 24 h window and the
 * manifest id in its metadata, polled with {@code batches.retrieve}, and its output and error
 * files read with {@code files.content}. Limits: 50,000 requests and 200 MB a file.
 */
final class OpenAiBatches implements BatchApi {
  static final String MANIFEST = "convoforge_manifest";
  private static final int LIST_PAGES = 10;

  private final OpenAIClient client;

  OpenAiBatches(OpenAIClient client) {
    this.client = client;
  }

  @Override
  public int maxRequests() {
    return 50_000;
  }

  @Override
  public long maxBytes() {
    return 190_000_000L;
  }

  @Override
  public String submit(String manifestId, String model, SortedMap<String, LlmRequest> requests)
      throws LlmException {
    StringBuilder jsonl = new StringBuilder();
    for (Map.Entry<String, LlmRequest> e : requests.entrySet()) {
      ObjectNode line = Json.MAPPER.createObjectNode();
      line.put("custom_id", e.getKey()).put("method", "POST").put("url", "/v1/chat/completions");
      line.set("body", ObjectMappers.jsonMapper().valueToTree(
          OpenAiClient.params(e.getValue())._body()));
      jsonl.append(line).append('\n');
    }
    byte[] bytes = jsonl.toString().getBytes(StandardCharsets.UTF_8);
    try {
      String file = client.files().create(FileCreateParams.builder()
          .file(MultipartField.<InputStream>builder().value(new ByteArrayInputStream(bytes))
              .filename(manifestId + ".jsonl").build())
          .purpose(FilePurpose.BATCH).build()).id();
      return client.batches().create(BatchCreateParams.builder()
          .inputFileId(file)
          .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
          .completionWindow(BatchCreateParams.CompletionWindow._24H)
          .metadata(BatchCreateParams.Metadata.builder()
              .putAdditionalProperty(MANIFEST, JsonValue.from(manifestId)).build())
          .build()).id();
    } catch (RuntimeException e) {
      throw OpenAiClient.failure(e);
    }
  }

  /** The most recent batches (a few pages) carrying the manifest id in their metadata. */
  @Override
  public String find(String manifestId) throws LlmException {
    try {
      BatchListPage page = client.batches().list(BatchListParams.builder().limit(100).build());
      for (int n = 0; n < LIST_PAGES; n++) {
        for (Batch b : page.data()) {
          JsonValue v = b.metadata().map(m -> m._additionalProperties().get(MANIFEST))
              .orElse(null);
          if (v != null && manifestId.equals(v.asString().orElse(null))) {
            return b.id();
          }
        }
        if (!page.hasNextPage()) {
          break;
        }
        page = page.nextPage();
      }
      return null;
    } catch (RuntimeException e) {
      throw OpenAiClient.failure(e);
    }
  }

  @Override
  public Polled poll(String batchId) throws LlmException {
    Batch b;
    try {
      b = client.batches().retrieve(batchId);
    } catch (RuntimeException e) {
      throw OpenAiClient.failure(e);
    }
    State state = switch (b.status().value()) {
      case COMPLETED -> State.SUCCEEDED;
      case FAILED -> State.FAILED;
      case EXPIRED -> State.EXPIRED;
      case CANCELLED -> State.CANCELLED;
      default -> State.RUNNING;
    };
    String detail = b.errors().flatMap(er -> er.data()).map(OpenAiBatches::errors).orElse(null);
    return new Polled(state, detail, b);
  }

  private static String errors(List<BatchError> errors) {
    StringBuilder sb = new StringBuilder();
    for (BatchError e : errors.subList(0, Math.min(3, errors.size()))) {
      sb.append(sb.length() == 0 ? "" : "; ").append(e.code().orElse("error")).append(": ")
          .append(e.message().orElse(""));
    }
    return sb.toString();
  }

  /** The output file's answers and the error file's failures, by {@code custom_id}. */
  @Override
  public Results results(Polled finished, String manifestId, Map<String, LlmRequest> known)
      throws LlmException {
    Batch b = (Batch) finished.handle();
    Map<String, Line> lines = new HashMap<>();
    int unreadable = 0;
    for (Optional<String> file : List.of(b.outputFileId(), b.errorFileId())) {
      if (file.isEmpty()) {
        continue;
      }
      try (HttpResponse resp = client.files().content(file.get());
          BufferedReader in = new BufferedReader(
              new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
        for (String text = in.readLine(); text != null; text = in.readLine()) {
          if (!text.isBlank() && !read(text, lines)) {
            unreadable++;
          }
        }
      } catch (IOException e) {
        throw new LlmException(LlmException.Kind.TRANSIENT, "I/O: " + e.getMessage(), -1);
      } catch (RuntimeException e) {
        throw OpenAiClient.failure(e);
      }
    }
    return new Results(lines, unreadable);
  }

  /**
   * Reads one result line into {@code lines}; false when it names no request. A line with an
   * unreadable body is a transient failure of its request (resubmitted).
   */
  private static boolean read(String text, Map<String, Line> lines) {
    JsonNode line;
    try {
      line = Json.MAPPER.readTree(text);
    } catch (IOException e) {
      return false;
    }
    String key = line.path("custom_id").asText("");
    if (key.isEmpty()) {
      return false;
    }
    JsonNode resp = line.path("response");
    int status = resp.path("status_code").asInt(0);
    if (status == 200) {
      try {
        ChatCompletion cc = ObjectMappers.jsonMapper().readValue(resp.path("body").toString(),
            ChatCompletion.class);
        lines.put(key, Line.ok(OpenAiClient.reply(cc)));
      } catch (IOException | RuntimeException | LlmException e) {
        lines.put(key, Line.failed(LlmException.Kind.TRANSIENT, "malformed result line"));
      }
    } else if (status > 0) {
      lines.putIfAbsent(key, Line.failed(LlmException.kindOf(status), "HTTP " + status));
    } else {
      String code = line.path("error").path("code").asText("no response");
      lines.putIfAbsent(key, Line.failed(LlmException.Kind.TRANSIENT, code));
    }
    return true;
  }
}
