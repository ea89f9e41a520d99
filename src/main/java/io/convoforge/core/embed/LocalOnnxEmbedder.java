package io.convoforge.core.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.convoforge.core.input.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-process, offline embeddings with LangChain4j's packaged ONNX models (weights inside the
 * jars): {@code all-minilm-l6-v2} (384 dimensions, the default) or {@code bge-small-en-v15-q}
 * (384, quantised). The model is loaded once per JVM (a static holder keyed by model name) and
 * shared by every DoFn instance and thread; ONNX Runtime sessions are thread-safe.
 *
 * <p>The texts of a batch are spread over the cores by LangChain4j's own executor (one per
 * JVM, since the embedder is shared), so a single large bundle still uses every core; several
 * runner threads share that pool instead of oversubscribing the machine.
 */
public final class LocalOnnxEmbedder implements Embedder {
  public static final String DEFAULT_MODEL = "all-minilm-l6-v2";
  private static final Map<String, LocalOnnxEmbedder> LOADED = new ConcurrentHashMap<>();

  private final EmbeddingModel model;
  private final int dimension;

  private LocalOnnxEmbedder(EmbeddingModel model) {
    this.model = model;
    this.dimension = model.dimension();
  }

  /** The factory for a recipe's {@code embed} section ({@code model}). */
  public static EmbedderFactory fromSettings(Map<String, Object> settings) {
    String model = String.valueOf(settings.getOrDefault("model", DEFAULT_MODEL));
    if (!model.equals("all-minilm-l6-v2") && !model.equals("bge-small-en-v15-q")) {
      throw new InputException("recipe", "field embed.model", "unknown local model '" + model
          + "'; expected all-minilm-l6-v2 or bge-small-en-v15-q");
    }
    return new Factory(model);
  }

  /** The shared embedder for a model, loading it on first use in this JVM. */
  public static LocalOnnxEmbedder shared(String model) {
    return LOADED.computeIfAbsent(model, m -> new LocalOnnxEmbedder(load(m)));
  }

  /** The underlying LangChain4j model (the benchmark's bare loop calls it directly). */
  public EmbeddingModel model() {
    return model;
  }

  /**
   * The same model (LangChain4j holds the ONNX session in a static field, so this loads
   * nothing new) with LangChain4j's default executor, which spreads a batch over all cores: the
   * benchmark's bare-loop baseline.
   */
  public static EmbeddingModel withDefaultExecutor(String model) {
    return switch (model) {
      case "bge-small-en-v15-q" -> new BgeSmallEnV15QuantizedEmbeddingModel();
      default -> new AllMiniLmL6V2EmbeddingModel();
    };
  }

  private static EmbeddingModel load(String model) {
    return withDefaultExecutor(model);
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String t : texts) {
      segments.add(TextSegment.from(t == null || t.isBlank() ? "(empty)" : t));
    }
    List<Embedding> out = model.embedAll(segments).content();
    List<float[]> vectors = new ArrayList<>(out.size());
    for (Embedding e : out) {
      vectors.add(Vectors.normalized(e.vector()));
    }
    return vectors;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  /** Serializable description: just the model name. */
  record Factory(String model) implements EmbedderFactory {
    @Override
    public String name() {
      return "local:" + model;
    }

    @Override
    public Embedder open() {
      return shared(model);
    }
  }
}
