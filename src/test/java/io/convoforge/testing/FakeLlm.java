package io.convoforge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.llm.Backend;
import io.convoforge.core.llm.LlmClient;
import io.convoforge.core.llm.LlmException;
import io.convoforge.core.llm.LlmReply;
import io.convoforge.core.llm.LlmRequest;
import io.convoforge.core.llm.LlmSession;
import io.convoforge.core.llm.LlmSettings;
import io.convoforge.core.llm.Prompts;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory model for tests of model-facing stages, no HTTP: a {@link Backend} whose sessions
 * answer each request with {@link Answerer#answer} (given the prompt's stage, its rendered text
 * and its output schema), through the real {@link LlmSession} (validation, re-ask, cache,
 * throttle, rejection). Faults are injected per stage: the next n calls fail transiently, fail
 * permanently, or answer with broken JSON. Calls are counted per stage in a JVM-wide registry
 * keyed by the backend's name (DoFns are serialized, so counts cannot live in the instance).
 */
public final class FakeLlm implements Backend {
  /** What the fake model answers. */
  @FunctionalInterface
  public interface Answerer extends Serializable {
    String answer(String stage, String prompt, JsonNode schema);
  }

  /** The faults it can inject. */
  public enum Fault { TRANSIENT, PERMANENT, MALFORMED_JSON }

  private static final Map<String, Map<String, AtomicInteger>> CALLS = new ConcurrentHashMap<>();
  private static final Map<String, Map<String, Map<Fault, AtomicInteger>>> FAULTS =
      new ConcurrentHashMap<>();

  private final String id;
  private final Answerer answerer;
  private final Map<String, Object> settings;

  private FakeLlm(String id, Answerer answerer, Map<String, Object> settings) {
    this.id = id;
    this.answerer = answerer;
    this.settings = settings;
  }

  /** A fake whose answers come from {@code answerer}; {@code cacheDir} null: no cache. */
  public static FakeLlm answering(Answerer answerer, String cacheDir) {
    String id = "fake-" + System.nanoTime();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("cache", cacheDir == null ? "off" : cacheDir);
    s.put("max_attempts", 3);
    s.put("backoff_ms", 1);
    s.put("max_concurrency", 4);
    CALLS.put(id, new ConcurrentHashMap<>());
    FAULTS.put(id, new ConcurrentHashMap<>());
    return new FakeLlm(id, answerer, s);
  }

  /** The next {@code times} calls of {@code stage} fail with {@code fault}. */
  public FakeLlm failing(String stage, Fault fault, int times) {
    FAULTS.get(id).computeIfAbsent(stage, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(fault, k -> new AtomicInteger()).addAndGet(times);
    return this;
  }

  /** Calls that reached the fake model for {@code stage} (cache hits excluded). */
  public int calls(String stage) {
    AtomicInteger n = CALLS.get(id).get(stage);
    return n == null ? 0 : n.get();
  }

  public int calls() {
    return CALLS.get(id).values().stream().mapToInt(AtomicInteger::get).sum();
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public boolean offline() {
    return false;
  }

  @Override
  public Batching batching() {
    return new Batching(1, 16, 50, 4);
  }

  @Override
  public LlmSession open(Prompts prompts, String stage, String runId) {
    return LlmSession.of(LlmSettings.of("fake", settings), prompts, new Client(id, answerer),
        stage, runId);
  }

  /** The fake client: counts, injects faults, answers. */
  record Client(String id, Answerer answerer) implements LlmClient {
    @Override
    public LlmReply call(LlmRequest r) throws LlmException {
      CALLS.get(id).computeIfAbsent(r.stage(), k -> new AtomicInteger()).incrementAndGet();
      Map<Fault, AtomicInteger> f = FAULTS.get(id).getOrDefault(r.stage(), Map.of());
      for (Fault fault : Fault.values()) {
        AtomicInteger left = f.get(fault);
        if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          switch (fault) {
            case TRANSIENT -> throw new LlmException(LlmException.Kind.TRANSIENT, "HTTP 503", -1);
            case PERMANENT -> throw new LlmException(LlmException.Kind.PERMANENT, "HTTP 400", -1);
            default -> {
              return new LlmReply("{ not json", "stop", 10, 3);
            }
          }
        }
      }
      String prompt = r.messages().get(0);
      return new LlmReply(answerer.answer(r.stage(), prompt, r.schema()), "stop",
          prompt.length() / 4, 20);
    }
  }
}
