package io.convoforge.core.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convoforge.core.input.InputException;
import io.convoforge.core.llm.Backend;
import io.convoforge.core.llm.LlmSession;
import io.convoforge.core.llm.OfflineBackend;
import io.convoforge.core.llm.Prompts;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Judgement;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.recipe.Recipe;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.values.PCollection;

/**
 * Judges each dialogue: the family's rule criteria ({@link Judging#rules}), plus the rubric
 * (recipe {@code judge.rubric}, default the family's): asked of the model on an LLM backend
 * (the family's {@code judge/prompt.md} with {@code {{rubric}}} and its variables; the answer's
 * schema, one boolean and a reason per criterion, is built from the rubric), answered by the
 * family's rules offline. Score = share of criteria passed; passed = every criterion in {@code
 * judge.required} passes and the score reaches {@code judge.min_score} (default 1.0: all).
 * Judging never drops an element; {@link FilterConversations} does.
 *
 * <p>In: dialogues. Out: the same with {@code judgement}. Failures: the model path's reasons
 * ({@code llm_schema_invalid}, {@code llm_unavailable}...).
 */
public final class JudgeConversations<P> extends RecordStage<P, P> {
  public static final String STAGE = "judge";
  private final Settings settings;
  private final Judging<P> judging;
  private final Backend backend;
  private final Prompts prompts;
  private final String runId;

  /** The recipe's {@code judge} section, resolved against the family's default rubric. */
  public record Settings(double minScore, List<String> required, Map<String, String> rubric)
      implements Serializable {
    public Settings {
      if (minScore < 0 || minScore > 1) {
        throw new IllegalArgumentException("min_score must be in [0, 1], got " + minScore);
      }
      required = List.copyOf(required);
      rubric = new LinkedHashMap<>(rubric);
    }

    @SuppressWarnings("unchecked")
    public static Settings from(Recipe recipe, Map<String, String> familyRubric) {
      Map<String, Object> s = recipe.section("judge");
      Object r = s.get("rubric");
      Map<String, String> rubric = new LinkedHashMap<>();
      if (r == null) {
        rubric.putAll(familyRubric);
      } else if (r instanceof List<?> names) {
        for (Object n : names) {
          String name = String.valueOf(n);
          rubric.put(name, familyRubric.getOrDefault(name, name.replace('_', ' ')));
        }
      } else if (r instanceof Map<?, ?> m) {
        m.forEach((k, v) -> rubric.put(String.valueOf(k), String.valueOf(v)));
      } else {
        throw new InputException(recipe.file(), "field judge.rubric",
            "expected a list of criterion names or a mapping name -> description");
      }
      Object req = s.get("required");
      return new Settings(recipe.number("judge", "min_score", 1.0),
          req == null ? List.of() : (List<String>) req, rubric);
    }
  }

  private JudgeConversations(Settings settings, Judging<P> judging, Backend backend,
      Prompts prompts, String runId) {
    super("JudgeConversations");
    this.settings = settings;
    this.judging = judging;
    this.backend = backend;
    this.prompts = prompts;
    this.runId = runId;
  }

  /** A judge with {@code settings} and the family's {@code judging}, on {@code backend}. */
  public static <P> JudgeConversations<P> of(Settings settings, Judging<P> judging,
      Backend backend, Prompts prompts, String runId) {
    return new JudgeConversations<>(settings, judging, backend, prompts, runId);
  }

  @Override
  public StageResult<P> expand(PCollection<Record<P>> input) {
    return applyFn(input, "Judge", new JudgeFn<>(this), backend);
  }

  static final class JudgeFn<P> extends ModelFn<P, P> {
    private final JudgeConversations<P> spec;
    private final JsonNode schema;

    JudgeFn(JudgeConversations<P> spec) {
      // Without a rubric there is nothing to ask: the rules judge, as offline.
      super(STAGE, spec.settings.rubric().isEmpty() ? OfflineBackend.INSTANCE : spec.backend,
          spec.prompts, spec.runId);
      this.spec = spec;
      this.schema = rubricSchema(spec.settings.rubric());
    }

    @Override
    protected void process(Record<P> r, Emitter<P> emit) throws RejectException {
      Map<String, Judgement.Criterion> criteria = new TreeMap<>(spec.judging.rules(r));
      Map<String, String> rubric = spec.settings.rubric();
      if (session() == null) {
        criteria.putAll(spec.judging.offlineRubric(r, rubric.keySet()));
      } else {
        Map<String, String> vars = new LinkedHashMap<>(spec.judging.promptVars(r));
        StringBuilder list = new StringBuilder();
        rubric.forEach((k, v) -> list.append("- ").append(k).append(": ").append(v).append('\n'));
        vars.put("rubric", list.toString());
        JsonNode answer = session().ask(STAGE, vars, schema, r.id(), LlmSession.Check.NONE);
        for (String name : rubric.keySet()) {
          JsonNode c = answer.path(name);
          boolean passed = c.path("passed").asBoolean();
          criteria.put(name, new Judgement.Criterion(passed,
              passed ? null : c.path("detail").asText("")));
        }
      }
      emit.output(r.withJudgement(verdict(criteria, spec.settings.minScore(),
          spec.settings.required())));
    }
  }

  /** The judge's answer schema: per rubric criterion, {@code passed} and a one-line detail. */
  static JsonNode rubricSchema(Map<String, String> rubric) {
    ObjectNode s = Json.MAPPER.createObjectNode();
    s.put("type", "object");
    ObjectNode props = s.putObject("properties");
    var required = s.putArray("required");
    for (Map.Entry<String, String> e : rubric.entrySet()) {
      ObjectNode c = props.putObject(e.getKey());
      c.put("type", "object").put("description", e.getValue());
      ObjectNode cp = c.putObject("properties");
      cp.putObject("passed").put("type", "boolean");
      cp.putObject("detail").put("type", "string");
      c.putArray("required").add("passed").add("detail");
      c.put("additionalProperties", false);
      required.add(e.getKey());
    }
    s.put("additionalProperties", false);
    return s;
  }

  /** Score = share passed; passed = score reaches {@code minScore} and every required passes. */
  public static Judgement verdict(
      Map<String, Judgement.Criterion> criteria, double minScore, List<String> required) {
    long passed = criteria.values().stream().filter(Judgement.Criterion::passed).count();
    double score = criteria.isEmpty() ? 0 : (double) passed / criteria.size();
    score = Math.round(score * 1000) / 1000.0;
    boolean ok = score >= minScore - 1e-9;
    for (String r : required) {
      Judgement.Criterion cr = criteria.get(r);
      ok &= cr != null && cr.passed();
    }
    return new Judgement(ok, score, criteria);
  }
}
