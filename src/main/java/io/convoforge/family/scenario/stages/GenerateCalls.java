package io.convoforge.family.scenario.stages;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.llm.Backend;
import io.convoforge.core.llm.LlmSession;
import io.convoforge.core.llm.Prompts;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.stages.ModelFn;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.scenario.GeneratePrompt;
import io.convoforge.family.scenario.ScenarioCodec;
import io.convoforge.family.scenario.TranscriptRules;
import io.convoforge.family.scenario.Verdict;
import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.model.Role;
import io.convoforge.family.scenario.model.ScenarioCall;
import io.convoforge.family.scenario.offline.OfflineTranscripts;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.PCollection;

/**
 * The model-facing stage: writes each call's messages under its scenario, whole, each message
 * following from the ones before it. Offline: the phrase-bank writer ({@link
 * OfflineTranscripts}), deterministic from (run seed, conversation id). LLM: one structured call
 * ({@code transforms/scenario-dialogue/generate/}) through {@link LlmSession}, which caches the
 * answer per conversation id, retries transient errors, and re-asks once when the answer breaks
 * the checks. No timestamps: {@link AssignTimestamps} adds them.
 *
 * <p>Checks, whatever wrote the call: roles alternate from the spec's {@code first}, exactly
 * {@code turns} messages, none empty, the text in the spec's language (stop words, for es and
 * en). In: planned calls (no messages). Out: the same with messages and {@code generated_by} in
 * the lineage. Failures: {@code generate_invalid} (an offline call broke a check: a phrase bank
 * problem), {@code unknown_scenario}, and on an LLM backend the session's reasons ({@code
 * llm_inconsistent} when the re-asked answer still breaks a check, {@code llm_schema_invalid},
 * {@code llm_unavailable}...).
 */
public final class GenerateCalls extends RecordStage<ScenarioCall, ScenarioCall> {
  public static final String STAGE = "generate";

  private final PromptSpec spec;
  private final OfflineTranscripts writer;
  private final Backend backend;
  private final Prompts prompts;
  private final String runId;
  private final long seed;

  private GenerateCalls(PromptSpec spec, OfflineTranscripts writer, Backend backend,
      Prompts prompts, String runId, long seed) {
    super("GenerateCalls");
    this.spec = spec;
    this.writer = writer;
    this.backend = backend;
    this.prompts = prompts;
    this.runId = runId;
    this.seed = seed;
  }

  /**
   * Calls of {@code spec} written by {@code backend}; offline, by {@code writer} (required then).
   */
  public static GenerateCalls of(PromptSpec spec, OfflineTranscripts writer, Backend backend,
      Prompts prompts, String runId, long seed) {
    if (backend.offline() && writer == null) {
      throw new IllegalArgumentException("the offline backend needs a phrase-bank writer");
    }
    return new GenerateCalls(spec, writer, backend, prompts, runId, seed);
  }

  @Override
  public StageResult<ScenarioCall> expand(PCollection<Record<ScenarioCall>> input) {
    return applyFn(input, "Generate", new GenerateFn(this), backend);
  }

  /** The checks every written call must pass before it goes on: the violations, or none. */
  static List<String> violations(TranscriptRules rules, List<Message> messages) {
    List<String> out = new ArrayList<>();
    for (Verdict v : List.of(rules.alternation(messages), rules.length(messages),
        rules.nonEmpty(messages), rules.language(messages))) {
      if (!v.passed()) {
        out.add(v.rule() + ": " + v.detail());
      }
    }
    return out;
  }

  /** The model's answer as messages (a role other than agent/client becomes null). */
  static List<Message> messages(JsonNode answer) {
    List<Message> out = new ArrayList<>();
    for (JsonNode m : answer.path("messages")) {
      out.add(new Message(Role.parse(m.path("role").asText(null)),
          m.path("text").asText("").strip(), null));
    }
    return out;
  }

  static final class GenerateFn extends ModelFn<ScenarioCall, ScenarioCall> {
    private final GenerateCalls spec;
    private final TranscriptRules rules;

    GenerateFn(GenerateCalls spec) {
      super(STAGE, spec.backend, spec.prompts, spec.runId);
      this.spec = spec;
      this.rules = TranscriptRules.forSpec(spec.spec);
    }

    @Override
    protected void process(Record<ScenarioCall> r, Emitter<ScenarioCall> emit)
        throws RejectException {
      String id = r.slice(ScenarioCodec.SCENARIO);
      Scenario scenario = spec.spec.scenario(id).orElseThrow(() -> new RejectException(
          "unknown_scenario", "scenario " + id + " is not in " + spec.spec.file()));
      List<Message> messages;
      String by;
      LlmSession session = session();
      if (session == null) {
        messages = spec.writer.write(scenario, r.id(), spec.seed);
        List<String> v = violations(rules, messages);
        if (!v.isEmpty()) {
          throw new RejectException("generate_invalid", "the offline call breaks " + v
              + "; fix the phrase bank " + spec.writer.bankRef());
        }
        by = "phrase-bank " + spec.writer.bankRef();
      } else {
        JsonNode answer = session.ask(STAGE, GeneratePrompt.vars(spec.spec, scenario, List.of()),
            r.id(), a -> violations(rules, messages(a)));
        messages = messages(answer);
        by = spec.backend.name() + " " + session.model() + " prompt "
            + session.promptVersions().get(STAGE);
      }
      emit.output(r.withMessages(ScenarioCodec.recordMessages(messages))
          .withLineage("generated_by", by));
    }
  }
}
