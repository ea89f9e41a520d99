package io.convoforge.family.tooluse.eval;

import io.convoforge.core.input.InputException;
import io.convoforge.core.llm.ChatSession;
import io.convoforge.core.llm.LlmBackend;
import io.convoforge.core.llm.LlmSettings;
import io.convoforge.family.tooluse.schema.ToolSpec;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agents and judges of {@code eval} by their flag value {@code PROVIDER:MODEL}: {@code
 * openai} (and any OpenAI-compatible server), {@code anthropic}, {@code gemini}, {@code vertex}
 * (Gemini on Vertex AI), {@code anthropic-vertex} (Claude on Vertex AI); {@code mock} for the
 * agent that replays the expected calls. Settings: the provider's profile {@code
 * conf/<provider>.yaml}, overridden by the command's {@code llm} values (flags and {@code --set
 * llm.k=v}), the model and the provider's base URL. Keys are resolved here, when the client
 * opens, from the environment or {@code .env}, and never leave it.
 *
 * <p>Failures: an {@link InputException} naming the flag for an unknown provider, a missing
 * model, or a missing key or project.
 */
public final class Agents {
  public static final List<String> PROVIDERS = List.of(LlmBackend.OPENAI, LlmBackend.ANTHROPIC,
      LlmBackend.GEMINI, LlmBackend.VERTEX, LlmBackend.ANTHROPIC_VERTEX);
  static final String EXPECTED = "expected mock or PROVIDER:MODEL with PROVIDER one of "
      + PROVIDERS + " (e.g. openai:gpt-4.1, anthropic:claude-sonnet-4-5, gemini:gemini-2.5-flash)";

  /** A parsed flag value. */
  public record Spec(String provider, String model) {}

  private Agents() {}

  /** Parses {@code value} of {@code flag}; {@code mockAllowed}: the agent flag. */
  public static Spec parse(String flag, String value, boolean mockAllowed) {
    if (mockAllowed && "mock".equals(value)) {
      return new Spec("mock", null);
    }
    int colon = value.indexOf(':');
    String provider = colon < 0 ? value : value.substring(0, colon);
    String model = colon < 0 ? "" : value.substring(colon + 1).trim();
    if (!PROVIDERS.contains(provider) || model.isEmpty()) {
      throw new InputException(flag + " " + value, null, mockAllowed ? EXPECTED
          : EXPECTED.replace("mock or ", ""));
    }
    if (LlmBackend.VERTEX.equals(provider) && model.startsWith("claude")) {
      throw new InputException(flag + " " + value, null, "Claude on Vertex AI goes through the"
          + " Anthropic SDK: use anthropic-vertex:" + model);
    }
    return new Spec(provider, model);
  }

  /** The merged settings of a parsed spec (see the class comment). */
  public static LlmSettings settings(String flag, String value, Spec spec,
      Map<String, Object> llm, Map<String, String> baseUrls) {
    Map<String, Object> values = new LinkedHashMap<>(llm);
    values.put("model", spec.model());
    if (baseUrls.containsKey(spec.provider())) {
      values.put("base_url", baseUrls.get(spec.provider()));
    }
    return LlmBackend.settings(spec.provider(), values, flag + " " + value);
  }

  /** The agent of {@code --agent value}. */
  public static Agent agent(String value, Map<String, Object> llm, Map<String, String> baseUrls,
      Collection<ToolSpec> tools, String runId) {
    Spec spec = parse("--agent", value, true);
    if ("mock".equals(spec.provider())) {
      return new MockAgent();
    }
    LlmSettings s = settings("--agent", value, spec, llm, baseUrls);
    try {
      return new ChatAgent(value, ChatSession.open(s, runId), tools);
    } catch (IllegalStateException e) {
      throw new InputException("--agent " + value, null, e.getMessage());
    }
  }

  /** The judge of {@code --judge value}, with its prompts from {@code promptsDir}. */
  public static ReplyJudge judge(String value, Map<String, Object> llm,
      Map<String, String> baseUrls, String promptsDir, String runId) {
    Spec spec = parse("--judge", value, false);
    LlmSettings s = settings("--judge", value, spec, llm, baseUrls);
    try {
      return new ReplyJudge(value, LlmBackend.of(s), promptsDir, runId);
    } catch (IllegalStateException e) {
      throw new InputException("--judge " + value, null, e.getMessage());
    }
  }
}
