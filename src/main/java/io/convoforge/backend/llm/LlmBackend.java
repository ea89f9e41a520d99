package io.convoforge.backend.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.convoforge.backend.Backends;
import io.convoforge.backend.Generator;
import io.convoforge.backend.GeneratorFactory;
import io.convoforge.backend.offline.OfflineBackend;
import io.convoforge.schema.InputException;
import io.convoforge.stages.StageContext;
import io.convoforge.util.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The LLM backends {@code openai}, {@code gemini} and {@code vertex}: a serializable factory
 * holding the merged settings and the prompt templates (read once by the launcher). The API key
 * is resolved in {@link #open}, on the worker, from the environment or {@code .env}.
 */
public final class LlmBackend implements GeneratorFactory {
  public static final String OPENAI = "openai";
  public static final String GEMINI = "gemini";
  public static final String VERTEX = "vertex";

  private final LlmSettings settings;
  private final Prompts prompts;

  LlmBackend(LlmSettings settings, Prompts prompts) {
    this.settings = settings;
    this.prompts = prompts;
  }

  /** Registers the three backends with {@link Backends}. */
  public static void registerAll() {
    for (String p : new String[] {OPENAI, GEMINI, VERTEX}) {
      Backends.register(p, recipeLlm -> create(p, recipeLlm));
    }
  }

  /** Settings = profile ({@code llm.profile} or {@code conf/<provider>.yaml}) + recipe + flags. */
  public static LlmBackend create(String provider, Map<String, Object> recipeLlm) {
    LlmSettings s = settings(provider, recipeLlm, "--backend " + provider);
    return new LlmBackend(s, Prompts.load(s.promptsDir()));
  }

  /**
   * The merged settings of a provider: the profile ({@code llm.profile} or {@code
   * conf/<provider>.yaml}) overridden by {@code recipeLlm}. Also what a remote embedder connects
   * with. {@code where} names the setting that chose the provider, for error messages.
   */
  static LlmSettings settings(String provider, Map<String, Object> recipeLlm, String where) {
    Map<String, Object> merged = new LinkedHashMap<>();
    Object profile = recipeLlm.get("profile");
    Path p = Path.of(profile != null ? String.valueOf(profile) : "conf/" + provider + ".yaml");
    if (Files.isRegularFile(p)) {
      merged.putAll(readYaml(p));
    } else if (profile != null) {
      throw new InputException("llm.profile", null, "no such file: " + p);
    }
    deepMerge(merged, recipeLlm);
    LlmSettings s = new LlmSettings(provider, merged);
    if (VERTEX.equals(provider) && (s.string("project") == null || s.string("location") == null)) {
      throw new InputException(where, null,
          "Vertex AI needs llm.project and llm.location (--set llm.project=P"
              + " --set llm.location=us-central1, or conf/vertex.yaml)");
    }
    return s;
  }

  LlmSettings settings() {
    return settings;
  }

  Prompts prompts() {
    return prompts;
  }

  String provider() {
    return settings.provider();
  }

  int shardOf(String elementId) {
    return (int) Math.floorMod(Seeds.hash(elementId), (long) settings.shards());
  }

  @Override
  public Generator open(StageContext context, String stage) {
    return new LlmGenerator(context, this, new OfflineBackend().open(context, stage),
        client(settings), stage);
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
      default:
        // A local endpoint (tests, a proxy) gets a placeholder token instead of ADC.
        String token = settings.baseUrl() != null
            && settings.baseUrl().matches("https?://(127\\.0\\.0\\.1|localhost)[:/].*")
            ? "local-endpoint" : null;
        return GenAiClient.vertex(settings.string("project"), settings.string("location"),
            settings.baseUrl(), timeoutMs, token);
    }
  }

  @Override
  public String name() {
    return settings.provider();
  }

  @Override
  public Batching batching() {
    return new Batching(settings.shards(), settings.batchSize(), settings.maxBufferingMillis(),
        Math.max(1, (int) Math.ceil((double) settings.maxConcurrency() / settings.shards())));
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
