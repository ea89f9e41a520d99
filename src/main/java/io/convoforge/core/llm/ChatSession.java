package io.convoforge.core.llm;

import io.convoforge.core.model.Json;
import io.convoforge.core.util.Seeds;
import java.io.IOException;
import java.util.List;

/**
 * The tool-calling chat path of an agent under evaluation: the same cache, throttle, retries and
 * metrics as every structured call ({@link LlmSession}), for {@link Chat} requests. A call is
 * looked up in the {@link ResponseCache} under (provider, base URL, element, round, request),
 * where the element is the conversation and the round the call's index in it, so a rerun of the
 * same evaluation makes no calls; a miss takes a slot of the run's {@link Throttle} ({@code
 * max_rpm}, {@code max_tpm}, {@code max_concurrency}) and goes through {@link CallLoop} (429:
 * Retry-After and AIMD; 5xx, timeouts: backoff; up to {@code max_attempts}). Tokens and cost go
 * to {@link CallMeter} (prices of the settings' profile).
 *
 * <p>Failures: an {@link LlmException}, {@link LlmException.Kind#PERMANENT} for other 4xx, of
 * the last error's kind when the attempts ran out. Thread-safe; one per agent and run.
 */
public final class ChatSession implements AutoCloseable {
  /** The stage name of agent calls: cache keys, per-stage settings. */
  public static final String AGENT = "agent";
  private final LlmSettings settings;
  private final LlmClient client;
  private final String runId;
  private final ResponseCache cache;
  private final CallMeter meter = new CallMeter();

  private ChatSession(LlmSettings settings, LlmClient client, String runId) {
    this.settings = settings;
    this.client = client;
    this.runId = runId;
    this.cache = settings.cacheEnabled() ? new ResponseCache(settings.cacheDir()) : null;
  }

  /**
   * A session on the SDK client of the settings' provider (the key resolved now, from the
   * environment or {@code .env}); its calls share the throttle budget named {@code runId}.
   */
  public static ChatSession open(LlmSettings settings, String runId) {
    return new ChatSession(settings, LlmBackend.client(settings), runId);
  }

  /** A session over any client (tests). */
  public static ChatSession of(LlmSettings settings, LlmClient client, String runId) {
    return new ChatSession(settings, client, runId);
  }

  /** The settings' model (the agent's). */
  public String model() {
    return settings.model(AGENT);
  }

  public LlmSettings settings() {
    return settings;
  }

  /**
   * A request of the agent's model with the settings' parameters for stage {@code agent}
   * ({@code llm.stages.agent.temperature}, {@code max_tokens}, ...).
   */
  public Chat.Request request(String system, List<Chat.Message> messages, List<Chat.Tool> tools) {
    return new Chat.Request(AGENT, settings.model(AGENT), settings.temperature(AGENT),
        settings.maxTokens(AGENT), system, messages, tools);
  }

  /** Cache, then throttle and call with retries; the reply of call {@code round} of element. */
  public Chat.Reply chat(String elementId, int round, Chat.Request req) throws LlmException {
    String key = cache == null ? null : Prompts.sha256("chat\0" + settings.provider() + '\0'
        + (settings.baseUrl() == null ? "" : settings.baseUrl()) + '\0' + elementId + '\0'
        + round + '\0' + Json.write(req));
    if (cache != null) {
      Chat.Reply hit = cache.get(key, Chat.Reply.class);
      if (hit != null) {
        meter.cacheHits.inc();
        return hit;
      }
    }
    int shard = (int) Math.floorMod(Seeds.hash(elementId), (long) settings.shards());
    Throttle throttle = Throttle.forRun(runId, settings, shard);
    long est = req.promptChars() / 4 + (req.maxTokens() == null ? 1024 : req.maxTokens());
    Chat.Reply reply = CallLoop.run(settings, throttle, meter, est, () -> client.chat(req),
        r -> r.tokensIn() + r.tokensOut());
    meter.tokensIn.inc(reply.tokensIn());
    meter.tokensOut.inc(reply.tokensOut());
    meter.costMicros.inc(Math.round(reply.tokensIn() * settings.priceOf(req.model(), "input")
        + reply.tokensOut() * settings.priceOf(req.model(), "output")));
    if (cache != null) {
      try {
        cache.put(key, reply);
      } catch (IOException e) {
        meter.cacheErrors.inc();
      }
    }
    return reply;
  }

  @Override
  public void close() {
    client.close();
  }
}
