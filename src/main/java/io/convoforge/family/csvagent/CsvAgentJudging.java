package io.convoforge.family.csvagent;

import io.convoforge.core.model.Judgement;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.stages.Judging;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The csv-agent family's part in judging. Rules, on every backend: {@code verified}
 * (triangulation verified the question), {@code calls_answered} (every {@code run_sql} call is
 * followed by the tool message of its result, and the trace has one step per call), {@code
 * final_answer} (the episode ends with an assistant message stating an answer). Rubric, asked of
 * a model only: {@code clear_question}, {@code purposeful_steps}; offline it is not answered.
 * Turns are SQL steps, so the recipe's {@code turns} bounds them (an episode that never queried
 * the data has 0).
 */
public final class CsvAgentJudging implements Judging<CsvItem> {
  @Override
  public Map<String, Judgement.Criterion> rules(Record<CsvItem> r) {
    Map<String, Judgement.Criterion> m = new TreeMap<>();
    Verification v = r.payload().verification();
    m.put("verified", v != null && v.verified() ? pass()
        : fail(v == null ? "not triangulated" : "triangulation did not verify it"));
    List<Message> msgs = r.messages();
    int calls = 0;
    String unanswered = null;
    for (int i = 0; i < msgs.size(); i++) {
      List<ToolCall> tc = msgs.get(i).toolCalls();
      if (tc == null || tc.isEmpty()) {
        continue;
      }
      calls += tc.size();
      boolean next = i + 1 < msgs.size() && Message.TOOL.equals(msgs.get(i + 1).role());
      if (!next && unanswered == null) {
        unanswered = "call " + tc.get(0).id() + " has no tool result after it";
      }
    }
    int steps = r.payload().trace() == null ? 0 : r.payload().trace().size();
    if (unanswered == null && steps != calls) {
      unanswered = calls + " calls but " + steps + " trace steps";
    }
    m.put("calls_answered", unanswered == null ? pass() : fail(unanswered));
    Message last = msgs.isEmpty() ? null : msgs.get(msgs.size() - 1);
    boolean answered = last != null && Message.ASSISTANT.equals(last.role())
        && (last.toolCalls() == null || last.toolCalls().isEmpty())
        && r.payload().answer() != null;
    m.put("final_answer", answered ? pass() : fail("the episode ends without an answer"));
    return m;
  }

  @Override
  public Map<String, String> rubric() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("clear_question", "the question is unambiguous and answerable from this table alone");
    m.put("purposeful_steps", "each SQL step moves toward the answer; errors are read and fixed,"
        + " not ignored");
    return m;
  }

  @Override
  public Map<String, Judgement.Criterion> offlineRubric(Record<CsvItem> r, Set<String> names) {
    return Map.of();
  }

  @Override
  public Map<String, String> promptVars(Record<CsvItem> r) {
    CsvItem p = r.payload();
    Map<String, String> v = new LinkedHashMap<>();
    v.put("dataset", p.question().dataset().file());
    v.put("question", p.question().text());
    v.put("answer", p.answer() == null ? "(none)" : Answers.format(p.answer()));
    StringBuilder steps = new StringBuilder();
    for (Message m : r.messages()) {
      if (m.toolCalls() != null && !m.toolCalls().isEmpty()) {
        m.toolCalls().forEach(c -> steps.append("SQL: ").append(ChatFormat.sql(c)).append('\n'));
      } else if (Message.TOOL.equals(m.role())) {
        steps.append("Result: ").append(m.text()).append('\n');
      } else if (Message.ASSISTANT.equals(m.role())) {
        steps.append("Final: ").append(m.text()).append('\n');
      }
    }
    v.put("steps", steps.toString().stripTrailing());
    return v;
  }

  @Override
  public int turns(Record<CsvItem> r) {
    return r.payload().trace() == null ? 0 : r.payload().trace().size();
  }

  private static Judgement.Criterion pass() {
    return new Judgement.Criterion(true, null);
  }

  private static Judgement.Criterion fail(String why) {
    return new Judgement.Criterion(false, why);
  }
}
