package io.convoforge.family.groundedqa;

import io.convoforge.core.model.Judgement;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.core.stages.Judging;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The grounded Q&A family's part in judging. Rules on every backend: {@code
 * answer_facts_stated} (every number, amount, date and time of the pair's answer appears in the
 * assistant's messages) and {@code no_future_date} (no message mentions a date later than {@code
 * as_of}). The rubric ({@code factual}, {@code natural}, {@code on_topic}, {@code adds_value}) is
 * asked of an LLM judge with the family's prompt, and answered by {@link RubricRules} offline.
 * Turns are messages (user and assistant).
 */
final class GroundedQaJudging implements Judging<GroundedQa> {
  static final String FACTS_STATED = "answer_facts_stated";
  static final String NO_FUTURE_DATE = "no_future_date";
  private final LocalDate asOf;

  GroundedQaJudging(LocalDate asOf) {
    this.asOf = asOf;
  }

  @Override
  public Map<String, Judgement.Criterion> rules(Record<GroundedQa> r) {
    Map<String, Judgement.Criterion> out = new TreeMap<>();
    StringBuilder assistant = new StringBuilder();
    String future = null;
    for (Message m : r.messages()) {
      if (Message.ASSISTANT.equals(m.role())) {
        assistant.append(m.text()).append('\n');
      }
      if (future == null && m.text() != null) {
        List<DateMention> later = DateMentions.laterThan(m.text(), asOf);
        if (!later.isEmpty()) {
          future = "the " + m.role() + " mentions '" + later.get(0).text() + "', after as_of "
              + asOf;
        }
      }
    }
    List<String> missing =
        Grounding.missingKeyFacts(r.payload().pair().answer(), assistant.toString());
    out.put(FACTS_STATED, new Judgement.Criterion(missing.isEmpty(), missing.isEmpty() ? null
        : "the assistant never states " + String.join(", ", missing)));
    out.put(NO_FUTURE_DATE, new Judgement.Criterion(future == null, future));
    return out;
  }

  @Override
  public Map<String, String> rubric() {
    return RubricRules.CRITERIA;
  }

  @Override
  public Map<String, Judgement.Criterion> offlineRubric(Record<GroundedQa> r, Set<String> names) {
    GroundedQa p = r.payload();
    Map<String, Judgement.Criterion> out = new TreeMap<>();
    RubricRules.judge(p.pair(), utterances(r), p.persona(), p.style()).forEach((k, v) -> {
      if (names.contains(k)) {
        out.put(k, new Judgement.Criterion(v.passed(), v.passed() ? null : v.detail()));
      }
    });
    return out;
  }

  @Override
  public Map<String, String> promptVars(Record<GroundedQa> r) {
    QaPair pair = r.payload().pair();
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("heading", pair.heading());
    vars.put("evidence", pair.evidence());
    vars.put("question", pair.question());
    vars.put("answer", pair.answer());
    StringBuilder dialogue = new StringBuilder();
    for (Message m : r.messages()) {
      dialogue.append(Message.USER.equals(m.role()) ? "Customer: " : "Assistant: ")
          .append(m.text()).append('\n');
    }
    vars.put("dialogue", dialogue.toString());
    return vars;
  }

  @Override
  public int turns(Record<GroundedQa> r) {
    return r.messages().size();
  }

  static List<Utterance> utterances(Record<GroundedQa> r) {
    List<Utterance> out = new ArrayList<>(r.messages().size());
    for (Message m : r.messages()) {
      out.add(new Utterance(m.role(), m.text()));
    }
    return out;
  }
}
