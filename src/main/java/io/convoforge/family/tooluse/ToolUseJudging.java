package io.convoforge.family.tooluse;

import io.convoforge.core.model.Json;
import io.convoforge.core.model.Judgement;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.stages.Judging;
import io.convoforge.family.tooluse.backend.PromptVars;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.ToolUse;
import io.convoforge.family.tooluse.stages.RuleJudge;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The tool-use family's part in judging: the {@link RuleJudge} criteria (schema-valid and
 * grounded arguments, referential integrity, alternation, turn range, no empty text, outcome
 * consistency) on every backend; an LLM judge's rubric of naturalness and faithfulness, which
 * the offline backend does not answer; turns are user turns.
 */
final class ToolUseJudging implements Judging<ToolUse> {
  private final ToolUseContext ctx;
  private transient RuleJudge rules;

  ToolUseJudging(ToolUseContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public synchronized Map<String, Judgement.Criterion> rules(Record<ToolUse> r) {
    if (rules == null) {
      rules = new RuleJudge(ctx);
    }
    return rules.judge(ToolUseCodec.view(r));
  }

  @Override
  public Map<String, String> rubric() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("naturalness", "the user sounds like a real person with this goal; the assistant is"
        + " clear");
    m.put("faithfulness", "every assistant reply matches the tool results (no invented facts,"
        + " errors reported honestly)");
    return m;
  }

  @Override
  public Map<String, Judgement.Criterion> offlineRubric(Record<ToolUse> r, Set<String> names) {
    return Map.of();
  }

  @Override
  public Map<String, String> promptVars(Record<ToolUse> r) {
    Conversation c = ToolUseCodec.view(r);
    Map<String, String> vars = PromptVars.common(ctx, c);
    vars.put("turns", Json.write(c.turns()));
    return vars;
  }

  @Override
  public int turns(Record<ToolUse> r) {
    return (int) r.messages().stream().filter(m -> Message.USER.equals(m.role())).count();
  }
}
