package io.convoforge.family.scenario;

import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables of {@code transforms/scenario-dialogue/generate/prompt.md} for one call: {@code
 * {{spec_system}}} (the spec's free markdown), {@code {{scenario}}} (its id, title and every field
 * as {@code key: value} lines), {@code {{turns}}}, {@code {{first}}}, {@code {{language}}} and
 * {@code {{history}}} (the messages so far, for a call continued or repaired; empty for a call
 * written in one go). Pure string work; the generate stage sends the prompt with {@code
 * system.md} and checks the answer against {@code output.schema.json} and {@link
 * TranscriptRules}.
 */
public final class GeneratePrompt {
  private GeneratePrompt() {}

  /** The template's variables. */
  public static Map<String, String> vars(PromptSpec spec, Scenario scenario,
      List<Message> history) {
    StringBuilder sc = new StringBuilder();
    sc.append("id: ").append(scenario.id()).append('\n');
    sc.append("title: ").append(scenario.title()).append('\n');
    for (Map.Entry<String, String> e : scenario.fields().entrySet()) {
      sc.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }
    StringBuilder h = new StringBuilder();
    if (!history.isEmpty()) {
      h.append("The call so far (keep these ").append(history.size())
          .append(" messages as they are and continue after them):\n");
      for (Message m : history) {
        h.append(m.role().wire()).append(": ").append(m.text()).append('\n');
      }
    }
    Map<String, String> v = new LinkedHashMap<>();
    v.put("spec_system", spec.system());
    v.put("scenario", sc.toString().strip());
    v.put("turns", Integer.toString(spec.turns()));
    v.put("first", spec.first().wire());
    v.put("language", spec.language());
    v.put("history", h.toString().strip());
    return v;
  }

  /** {@code template} with the variables of {@link #vars} filled in. */
  public static String render(String template, PromptSpec spec, Scenario scenario,
      List<Message> history) {
    String out = template;
    for (Map.Entry<String, String> e : vars(spec, scenario, history).entrySet()) {
      out = out.replace("{{" + e.getKey() + "}}", e.getValue());
    }
    return out;
  }
}
