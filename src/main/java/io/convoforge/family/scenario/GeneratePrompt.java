package io.convoforge.family.scenario;

import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import java.util.List;
import java.util.Map;

/**
 * Fills {@code transforms/scenario-dialogue/generate/prompt.md} for one call: {@code
 * {{spec_system}}} (the spec's free markdown), {@code {{scenario}}} (its id, title and every field
 * as {@code key: value} lines), {@code {{turns}}}, {@code {{first}}}, {@code {{language}}} and
 * {@code {{history}}} (the messages so far, for a call continued or repaired; empty for a call
 * written in one go). Pure string work; the LLM stage sends the result with {@code system.md}
 * and checks the answer against {@code output.schema.json} and {@link TranscriptRules}.
 */
public final class GeneratePrompt {
  private GeneratePrompt() {}

  public static String render(String template, PromptSpec spec, Scenario scenario,
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
    return template
        .replace("{{spec_system}}", spec.system())
        .replace("{{scenario}}", sc.toString().strip())
        .replace("{{turns}}", Integer.toString(spec.turns()))
        .replace("{{first}}", spec.first().wire())
        .replace("{{language}}", spec.language())
        .replace("{{history}}", h.toString().strip());
  }
}
