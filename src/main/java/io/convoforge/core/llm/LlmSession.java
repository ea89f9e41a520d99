package io.convoforge.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import io.convoforge.core.input.JsonSchemas;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.util.Seeds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one structured-output call path every model-facing stage of every family uses: render the
 * stage's template, call through the response cache, the run's {@link Throttle} and the retry
 * loop ({@link CallLoop}), validate the answer against the stage's output schema and a semantic
 * {@link Check}, re-ask once with the violations, and otherwise reject the element with the raw
 * answer ({@code llm_invalid_json}, {@code llm_schema_invalid}, {@code llm_inconsistent}, {@code
 * llm_truncated}); a permanent provider error is {@code llm_error}, retries running out {@code
 * llm_unavailable}.
 *
 * <p>The cache key is (element, stage, round, request): two elements whose prompts are identical
 * each get their own sample, and a rerun pays for nothing. One session per stage and DoFn
 * instance (or call thread), opened on the worker; the API key never leaves the client.
 *
 * <p>In batch mode ({@code llm.mode: batch}, or per stage) the call inside a {@link BatchScope}
 * waits for the stage's provider batch instead of calling the chat endpoint (see {@link
 * BatchScope}); everything after the answer is the same. Every permanent error counts towards the
 * run's {@link RunBreaker}, which stops a run whose calls all fail the same way.
 */
public final class LlmSession implements AutoCloseable {
  private static final Map<String, Schema> COMPILED = new ConcurrentHashMap<>();

  private final LlmSettings settings;
  private final Prompts prompts;
  private final LlmClient client;
  private final String stage;
  private final String runId;
  private final ResponseCache cache;
  private final CallMeter meter;
  private final BatchApi.Factory batchApis;
  private BatchApi batchApi;

  LlmSession(LlmSettings settings, Prompts prompts, LlmClient client, String stage,
      String runId, BatchApi.Factory batchApis) {
    this.settings = settings;
    this.prompts = prompts;
    this.client = client;
    this.stage = stage;
    this.runId = runId;
    this.cache = settings.cacheEnabled() ? new ResponseCache(settings.cacheDir()) : null;
    this.meter = new CallMeter();
    this.batchApis = batchApis;
  }

  /**
   * A session over any {@link LlmClient} (an in-memory fake in tests, a provider's SDK client in
   * {@link LlmBackend}), with the run's throttle, cache and metrics.
   */
  public static LlmSession of(LlmSettings settings, Prompts prompts, LlmClient client,
      String stage, String runId) {
    return new LlmSession(settings, prompts, client, stage, runId, null);
  }

  /** A semantic check beyond the JSON Schema: the violations, empty when the answer is fine. */
  public interface Check {
    List<String> violations(JsonNode answer);

    Check NONE = a -> List.of();
  }

  /** The model the session's stage calls (for lineage). */
  public String model() {
    return settings.model(stage);
  }

  /** The family's prompt versions (for lineage). */
  public Map<String, String> promptVersions() {
    return prompts.versions();
  }

  /** {@link #ask(String, Map, JsonNode, String, Check)} with the template's own schema. */
  public JsonNode ask(String prompt, Map<String, String> vars, String elementId, Check check)
      throws RejectException {
    return ask(prompt, vars, null, elementId, check);
  }

  /**
   * Asks the {@code prompt} template rendered with {@code vars} on behalf of {@code elementId}
   * (an element id, or an id of one of its samples), validating against {@code schema} (null:
   * the template's {@code output.schema.json}) and {@code check}.
   */
  public JsonNode ask(String prompt, Map<String, String> vars, JsonNode schema, String elementId,
      Check check) throws RejectException {
    Prompts.Template t = prompts.get(prompt);
    JsonNode schemaNode = schema != null ? schema : t.schemaNode();
    if (schemaNode == null) {
      throw new IllegalStateException("prompt " + prompt + " has no output schema");
    }
    LlmRequest req = new LlmRequest(stage, settings.model(stage), settings.temperature(stage),
        settings.topP(stage), settings.maxTokens(stage), t.system(), List.of(t.render(vars)),
        "convoforge_" + prompt, schemaNode);
    Schema compiled = COMPILED.computeIfAbsent(schemaNode.toString(),
        k -> JsonSchemas.compile(schemaNode));
    String reason = null;
    List<String> errors = List.of();
    LlmReply reply = null;
    for (int round = 0; round < 2; round++) {
      reply = call(elementId, round, req);
      JsonNode node = null;
      if (reply.truncated()) {
        reason = "llm_truncated";
        errors = List.of("the answer was cut off at the output token limit (finish_reason "
            + reply.finishReason() + "); answer more briefly");
      } else {
        try {
          node = Json.MAPPER.readTree(reply.text());
          if (node == null || node.isMissingNode()) {
            throw new IOException("empty answer");
          }
          errors = new ArrayList<>(JsonSchemas.violations(compiled, node));
          reason = "llm_schema_invalid";
          if (errors.isEmpty()) {
            errors = check.violations(node);
            reason = "llm_inconsistent";
          }
        } catch (IOException e) {
          reason = "llm_invalid_json";
          errors = List.of("not valid JSON: " + firstLine(e.getMessage()));
        }
      }
      if (errors.isEmpty()) {
        if (round > 0) {
          meter.repaired.inc();
        }
        return node;
      }
      req = req.followUp(reply.text(), "Your answer does not conform:\n- "
          + String.join("\n- ", errors)
          + "\nAnswer again with only JSON that conforms to the schema.");
    }
    throw new RejectException(reason, prompt + ": " + String.join("; ", errors), reply.text());
  }

  /**
   * Settled batch answers, then the cache; then, in batch mode inside a {@link BatchScope},
   * register the request and wait for the batch (by throwing); otherwise throttle and call.
   */
  private LlmReply call(String elementId, int round, LlmRequest req) throws RejectException {
    String key = ResponseCache.key(settings.provider(), settings.baseUrl(), elementId, round, req);
    BatchScope scope = settings.batchMode(stage) ? BatchScope.current() : null;
    if (scope != null) {
      LlmReply settled = scope.answer(key);
      if (settled != null) {
        return settled;
      }
    }
    if (cache != null) {
      LlmReply hit = cache.get(key);
      if (hit != null) {
        meter.cacheHits.inc();
        return hit;
      }
    }
    if (scope != null) {
      throw scope.register(new BatchScope.Pending(key, elementId, round, req, this));
    }
    return online(key, elementId, req);
  }

  /**
   * One online call under the run's throttle and retries, metered at the online price, cached
   * under {@code key}; a permanent error counts towards the run's {@link RunBreaker}.
   */
  LlmReply online(String key, String elementId, LlmRequest req) throws RejectException {
    int shard = (int) Math.floorMod(Seeds.hash(elementId), (long) settings.shards());
    Throttle throttle = Throttle.forRun(runId, settings, shard);
    long est = req.promptChars() / 4 + (req.maxTokens() == null ? 1024 : req.maxTokens());
    LlmReply reply;
    RunBreaker breaker = RunBreaker.forRun(runId);
    try {
      reply = CallLoop.run(settings, throttle, meter, est, () -> client.call(req),
          r -> r.tokensIn() + r.tokensOut());
    } catch (LlmException e) {
      if (e.kind() == LlmException.Kind.PERMANENT) {
        breaker.permanent(settings.provider(), req.stage(), e.getMessage(),
            settings.stopAfterErrors());
      }
      throw new RejectException(e.kind() == LlmException.Kind.PERMANENT ? "llm_error"
          : "llm_unavailable", req.stage() + ": " + e.getMessage());
    }
    breaker.success();
    meter.tokens(reply, settings.price(req.stage(), "input"),
        settings.price(req.stage(), "output"));
    store(key, reply);
    return reply;
  }

  /** Writes an answer to the response cache (a failed write is counted, not fatal). */
  void store(String key, LlmReply reply) {
    if (cache != null) {
      try {
        cache.put(key, reply);
      } catch (IOException e) {
        meter.cacheErrors.inc();
      }
    }
  }

  LlmSettings settings() {
    return settings;
  }

  String stage() {
    return stage;
  }

  String runId() {
    return runId;
  }

  ResponseCache cache() {
    return cache;
  }

  CallMeter meter() {
    return meter;
  }

  /** The provider's batch API over this session's client, opened on first use. */
  BatchApi batchApi() {
    if (batchApis == null) {
      throw new IllegalStateException("batch mode needs the openai, gemini or vertex backend"
          + " (stage " + stage + ")");
    }
    if (batchApi == null) {
      batchApi = batchApis.open(client);
    }
    return batchApi;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  public void close() {
    client.close();
  }
}
