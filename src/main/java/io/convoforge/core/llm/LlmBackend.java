package io.convoforge.core.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.convoforge.core.input.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The LLM backends {@code openai}, {@code gemini} and {@code vertex} (and, for {@code eval}'s
 * agents and judges, {@code anthropic} and {@code anthropic-vertex}): a serializable description
 * holding the merged settings (read once by the launcher). The API key is resolved in {@link
 * #open}, on the worker, from the environment or {@code .env}.
 */
public final class LlmBackend implements Backend {
  public static final String OPENAI = "openai";
  public static final String GEMINI = "gemini";
  public static final String VERTEX = "vertex";
  /** Claude through the Anthropic API (agents and judges of {@code eval}). */
  public static final String ANTHROPIC = "anthropic";
  /** Claude on Vertex AI through the Anthropic SDK's Vertex backend. */
  public static final String ANTHROPIC_VERTEX = "anthropic-vertex";

  private final LlmSettings settings;

  LlmBackend(LlmSettings settings) {
    this.settings = settings;
  }

  /** Settings = profile ({@code llm.profile} or {@code conf/<provider>.yaml}) + recipe + flags. */
  public static LlmBackend create(String provider, Map<String, Object> recipeLlm) {
    return new LlmBackend(settings(provider, recipeLlm, "--backend " + provider));
  }

  /**
   * The merged settings of a provider: the profile ({@code llm.profile} or {@code
   * conf/<provider>.yaml}) overridden by {@code recipeLlm}. Also what a remote embedder connects
   * with. {@code where} names the setting that chose the provider, for error messages.
   */
  public static LlmSettings settings(String provider, Map<String, Object> recipeLlm,
      String where) {
    Map<String, Object> merged = new LinkedHashMap<>();
    Object profile = recipeLlm.get("profile");
    Path p = Path.of(profile != null ? String.valueOf(profile) : "conf/" + provider + ".yaml");
    if (Files.isRegularFile(p)) {
      merged.putAll(readYaml(p));
    } else if (profile != null) {
      throw new InputException("llm.profile", null, "no such file: " + p);
    }
    deepMerge(merged, recipeLlm);
    absoluteCache(merged);
    LlmSettings s = new LlmSettings(provider, merged);
    BatchSettings.check(s);
    if ((VERTEX.equals(provider) || ANTHROPIC_VERTEX.equals(provider))
        && (s.string("project") == null || s.string("location") == null)) {
      throw new InputException(where, null,
          "Vertex AI needs llm.project and llm.location (--set llm.project=P"
              + " --set llm.location=us-central1, or conf/" + provider + ".yaml)");
    }
    return s;
  }

  /**
   * A relative local cache directory becomes absolute here, in the launcher: workers (a
   * cluster's TaskManagers) run in other directories and must all use the one it names. Only
   * the settings change, not the recipe, so the run id does not depend on the directory.
   */
  private static void absoluteCache(Map<String, Object> merged) {
    Object c = merged.get("cache");
    String dir = c instanceof String ? (String) c : c == null ? ".convoforge/cache" : null;
    if (dir != null && !dir.isBlank() && !dir.contains("://") && !dir.equalsIgnoreCase("off")
        && !dir.equalsIgnoreCase("none")) {
      merged.put("cache", Path.of(dir).toAbsolutePath().normalize().toString());
    }
  }

  /** A backend on already merged settings (the {@code eval} command's judge). */
  public static LlmBackend of(LlmSettings settings) {
    return new LlmBackend(settings);
  }

  public LlmSettings settings() {
    return settings;
  }

  @Override
  public boolean offline() {
    return false;
  }

  @Override
  public LlmSession open(Prompts prompts, String stage, String runId) {
    return new LlmSession(settings, prompts, client(settings), stage, runId,
        batchApis(settings));
  }

  /** The provider's batch API over a session's SDK client; null for a provider without one. */
  static BatchApi.Factory batchApis(LlmSettings settings) {
    switch (settings.provider()) {
      case OPENAI:
        return c -> new OpenAiBatches(((OpenAiClient) c).sdk());
      case GEMINI:
        return c -> new GeminiBatches(((GenAiClient) c).sdk());
      case VERTEX:
        String staging = settings.batchStaging();
        return c -> new VertexBatches(((GenAiClient) c).sdk(), staging);
      default:
        return null;
    }
  }

  /**
   * The SDK client of the settings' provider, opened on the worker: the API key is resolved
   * here, from the environment or {@code .env}, and never leaves the client.
   */
  static LlmClient client(LlmSettings settings) {
    int timeoutMs = (int) Math.round(settings.timeoutSeconds() * 1000);
    switch (settings.provider()) {
      case OPENAI: {
        String key = Secrets.get("OPENAI_API_KEY");
        if (key == null && settings.baseUrl() == null) {
          throw new IllegalStateException("no OpenAI API key: set OPENAI_API_KEY in the"
              + " environment or in .env (or point --base-url at a server that needs none)");
        }
        return new OpenAiClient(key, settings.baseUrl(), Duration.ofMillis(timeoutMs));
      }
      case GEMINI: {
        String key = Secrets.get("GEMINI_API_KEY", "GOOGLE_API_KEY");
        if (key == null && settings.baseUrl() == null) {
          throw new IllegalStateException("no Gemini API key: set GEMINI_API_KEY or"
              + " GOOGLE_API_KEY in the environment or in .env");
        }
        return GenAiClient.gemini(key == null ? "none" : key, settings.baseUrl(), timeoutMs);
      }
      case ANTHROPIC: {
        String key = Secrets.get("ANTHROPIC_API_KEY");
        if (key == null && settings.baseUrl() == null) {
          throw new IllegalStateException("no Anthropic API key: set ANTHROPIC_API_KEY in the"
              + " environment or in .env");
        }
        return ClaudeClient.direct(key, settings.baseUrl(), Duration.ofMillis(timeoutMs));
      }
      case ANTHROPIC_VERTEX:
        return ClaudeClient.vertex(settings.string("project"), settings.string("location"),
            settings.baseUrl(), Duration.ofMillis(timeoutMs), localToken(settings));
      default:
        return GenAiClient.vertex(settings.string("project"), settings.string("location"),
            settings.baseUrl(), timeoutMs, localToken(settings));
    }
  }

  /** A local endpoint (tests, a proxy) gets a placeholder token instead of ADC. */
  private static String localToken(LlmSettings settings) {
    return settings.baseUrl() != null
        && settings.baseUrl().matches("https?://(127\\.0\\.0\\.1|localhost)[:/].*")
        ? "local-endpoint" : null;
  }

  @Override
  public String name() {
    return settings.provider();
  }

  @Override
  public Batching batching() {
    // Shards unset: the runner's parallelism decides (CallInBatches). Every batch may use the
    // whole in-flight budget; the throttle holds each call to its shard's or worker's part.
    return new Batching(settings.values().get("shards") == null ? 0 : settings.shards(),
        settings.batchSize(), settings.maxBufferingMillis(),
        Math.max(1, settings.maxConcurrency()));
  }

  /** In batch mode a group is up to {@code llm.batch.group_size} elements, run on one thread. */
  @Override
  public Batching batching(String stage) {
    if (!settings.batchMode(stage)) {
      return batching();
    }
    return new Batching(settings.shards(), settings.batchGroupSize(),
        settings.batchMaxBufferingMillis(), 1, true);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readYaml(Path p) {
    try {
      Object o = new ObjectMapper(new YAMLFactory()).readValue(p.toFile(), Object.class);
      return o instanceof Map ? (Map<String, Object>) o : Map.of();
    } catch (IOException e) {
      throw new InputException(p.toString(), null, "not a YAML mapping: " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  static void deepMerge(Map<String, Object> into, Map<String, Object> from) {
    for (Map.Entry<String, Object> e : from.entrySet()) {
      Object cur = into.get(e.getKey());
      if (cur instanceof Map && e.getValue() instanceof Map) {
        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) cur);
        deepMerge(m, (Map<String, Object>) e.getValue());
        into.put(e.getKey(), m);
      } else {
        into.put(e.getKey(), e.getValue());
      }
    }
  }
}
