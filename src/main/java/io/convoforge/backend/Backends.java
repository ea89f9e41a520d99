package io.convoforge.backend;

import io.convoforge.backend.offline.OfflineBackend;
import io.convoforge.schema.InputException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The registry of backends by name. LLM backends register here with a function from their
 * settings (the recipe's {@code llm} section merged with command-line flags) to a factory.
 */
public final class Backends {
  private static final Map<String, Function<Map<String, Object>, GeneratorFactory>> REGISTRY =
      new LinkedHashMap<>();

  static {
    register("offline", settings -> new OfflineBackend());
    io.convoforge.backend.llm.LlmBackend.registerAll();
  }

  private Backends() {}

  public static synchronized void register(
      String name, Function<Map<String, Object>, GeneratorFactory> factory) {
    REGISTRY.put(name, factory);
  }

  public static synchronized GeneratorFactory create(String name, Map<String, Object> settings) {
    Function<Map<String, Object>, GeneratorFactory> f = REGISTRY.get(name);
    if (f == null) {
      throw new InputException("--backend " + name, null,
          "unknown backend; expected one of " + REGISTRY.keySet());
    }
    return f.apply(settings);
  }

  public static synchronized java.util.Set<String> names() {
    return REGISTRY.keySet();
  }
}
