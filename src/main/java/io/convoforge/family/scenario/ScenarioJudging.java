package io.convoforge.family.scenario;

import io.convoforge.core.model.Judgement;
import io.convoforge.core.model.Record;
import io.convoforge.core.stages.Judging;
import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.model.ScenarioCall;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scenario-dialogue family's part in judging: the {@link TranscriptRules} as criteria on
 * every backend ({@code alternation}, {@code length}, {@code non_empty}, {@code language},
 * {@code progression}, {@code timestamps}; a failed one says why); a rubric an LLM judge is
 * asked ({@code natural}, {@code follows_scenario}), which the offline backend leaves to the
 * rules; turns are messages.
 */
final class ScenarioJudging implements Judging<ScenarioCall> {
  private final PromptSpec spec;
  private final TranscriptRules rules;

  ScenarioJudging(PromptSpec spec) {
    this.spec = spec;
    this.rules = TranscriptRules.forSpec(spec);
  }

  @Override
  public Map<String, Judgement.Criterion> rules(Record<ScenarioCall> r) {
    List<Message> messages = ScenarioCodec.transcriptMessages(r.messages());
    Map<String, Judgement.Criterion> out = new TreeMap<>();
    Scenario s = spec.scenario(r.slice(ScenarioCodec.SCENARIO)).orElse(null);
    List<Verdict> verdicts = s == null
        ? List.of(Verdict.fail("progression", "scenario " + r.slice(ScenarioCodec.SCENARIO)
            + " is not in the spec"))
        : rules.check(s, messages);
    for (Verdict v : verdicts) {
      out.put(v.rule(), new Judgement.Criterion(v.passed(), v.passed() ? null : v.detail()));
    }
    return out;
  }

  @Override
  public Map<String, String> rubric() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("natural", "both speakers sound like a real phone call in the spec's language and"
        + " register; each message answers the one before it");
    m.put("follows_scenario", "the client's intent and tone and the progression steps of the"
        + " scenario appear in order, and the call reaches the last step");
    return m;
  }

  @Override
  public Map<String, Judgement.Criterion> offlineRubric(Record<ScenarioCall> r,
      Set<String> criteria) {
    return Map.of();
  }

  @Override
  public Map<String, String> promptVars(Record<ScenarioCall> r) {
    Map<String, String> vars = new LinkedHashMap<>();
    Scenario s = spec.scenario(r.slice(ScenarioCodec.SCENARIO)).orElse(null);
    vars.put("language", spec.language());
    vars.put("scenario", s == null ? r.slice(ScenarioCodec.SCENARIO)
        : GeneratePrompt.vars(spec, s, List.of()).get("scenario"));
    StringBuilder t = new StringBuilder();
    for (io.convoforge.core.model.Message m : r.messages()) {
      t.append(m.role()).append(": ").append(m.text()).append('\n');
    }
    vars.put("transcript", t.toString().strip());
    return vars;
  }

  @Override
  public int turns(Record<ScenarioCall> r) {
    return r.messages().size();
  }
}
