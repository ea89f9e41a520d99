package io.convoforge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convoforge.core.model.Json;
import io.convoforge.testing.StubBatches.Fault;
import io.convoforge.testing.StubBatches.Job;
import java.io.IOException;

/**
 * How {@link StubBatches} writes a batch and its result lines in each provider's shapes: an
 * OpenAI {@code Batch} object and output/error file lines, a Gemini API batch operation with
 * inlined responses, a Vertex AI {@code BatchPredictionJob} and its {@code predictions.jsonl}
 * lines.
 */
final class StubBatchFormats {
  private StubBatchFormats() {}

  /** One answered (or failed) line in the provider's format. */
  static void line(Job j, JsonNode key, JsonNode input, int status, String body,
      StringBuilder out, StringBuilder err, ArrayNode inlined) throws IOException {
    JsonNode parsed = body == null ? null : Json.MAPPER.readTree(body);
    switch (j.provider) {
      case StubBatches.OPENAI -> {
        ObjectNode l = Json.MAPPER.createObjectNode().put("id", "batch_req_" + key.asText())
            .put("custom_id", key.asText());
        ObjectNode resp = l.putObject("response").put("status_code", status)
            .put("request_id", "req");
        resp.set("body", status == 200 ? parsed : Json.MAPPER.readTree(
            StubLlmServer.error(status, "ERROR", "line failed")));
        l.putNull("error");
        (status == 200 ? out : err).append(l).append('\n');
      }
      case StubBatches.GEMINI -> {
        ObjectNode l = inlined.addObject();
        l.putObject("metadata").put("convoforge_key", key.asText());
        if (status == 200) {
          l.set("response", parsed);
        } else {
          l.putObject("error").put("code", status == 400 ? 3 : 13).put("message", "line failed");
        }
      }
      default -> {
        ObjectNode l = Json.MAPPER.createObjectNode().put("key", key.asText());
        l.set("request", input.path("request"));
        if (status == 200) {
          l.set("response", parsed);
          l.put("status", "");
        } else {
          l.put("status", status == 400 ? "INVALID_ARGUMENT: 400 bad request"
              : "Internal error: " + status);
        }
        out.append(l).append('\n');
      }
    }
  }

  static ObjectNode openAi(Job j) {
    String status = switch (j.state) {
      case "succeeded" -> "completed";
      case "running" -> "in_progress";
      default -> j.state;
    };
    ObjectNode b = Json.MAPPER.createObjectNode().put("id", j.id).put("object", "batch")
        .put("endpoint", "/v1/chat/completions").put("input_file_id", "file-in")
        .put("completion_window", "24h").put("status", status).put("created_at", 0);
    if (j.outputFile != null) {
      b.put("output_file_id", j.outputFile);
    }
    if (j.errorFile != null) {
      b.put("error_file_id", j.errorFile);
    }
    if (j.label != null) {
      b.putObject("metadata").put("convoforge_manifest", j.label);
    }
    if (j.fault == Fault.FAIL_BATCH && !"running".equals(j.state)) {
      b.putObject("errors").put("object", "list").putArray("data").addObject()
          .put("code", "invalid_request").put("message", "the stub failed this batch");
    }
    b.putObject("request_counts").put("total", j.lines.size()).put("completed", 0)
        .put("failed", 0);
    return b;
  }

  static ObjectNode gemini(Job j) {
    ObjectNode op = Json.MAPPER.createObjectNode().put("name", j.id);
    ObjectNode m = op.putObject("metadata")
        .put("@type", "type.googleapis.com/google.ai.generativelanguage.v1main"
            + ".GenerateContentBatch")
        .put("model", j.model).put("state", "BATCH_STATE_" + j.state.toUpperCase());
    if (j.label != null) {
      m.put("displayName", j.label);
    }
    if (j.inlined != null) {
      m.putObject("output").set("inlinedResponses", j.inlined);
    }
    op.put("done", !"running".equals(j.state));
    return op;
  }

  static ObjectNode vertex(Job j) {
    ObjectNode r = Json.MAPPER.createObjectNode().put("name", j.id).put("model", j.model)
        .put("state", "JOB_STATE_" + j.state.toUpperCase());
    if (j.label != null) {
      r.put("displayName", j.label);
    }
    if (!"running".equals(j.state) && j.fault != Fault.FAIL_BATCH) {
      r.putObject("outputInfo").put("gcsOutputDirectory",
          j.outputPrefix + "/prediction-model-stub");
    }
    if (j.fault == Fault.FAIL_BATCH && !"running".equals(j.state)) {
      r.putObject("error").put("code", 13).put("message", "the stub failed this job");
    }
    return r;
  }

}
