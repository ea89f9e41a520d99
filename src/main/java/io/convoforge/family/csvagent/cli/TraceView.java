package io.convoforge.family.csvagent.cli;

import io.convoforge.core.model.Json;
import io.convoforge.core.model.Message;
import io.convoforge.core.model.Record;
import io.convoforge.family.csvagent.Answers;
import io.convoforge.family.csvagent.CsvItem;
import io.convoforge.family.csvagent.Question;
import io.convoforge.family.csvagent.TraceStep;
import io.convoforge.family.csvagent.Verification;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One episode as a person reads it: the question (dataset, difficulty labelled and observed,
 * source, hint, ground truth and program of a synthetic one), every SQL step with the
 * assistant's words, the statement and its real result or error, the final message, the n
 * answers of triangulation and the verdict; for a rejected trace, why.
 */
final class TraceView {
  private static final int ROWS_SHOWN = 5;

  private TraceView() {}

  static void print(Record<CsvItem> r, String status, String detail, PrintStream out) {
    CsvItem p = r.payload();
    Question q = p.question();
    Verification v = p.verification();
    out.printf("Episode %s (%s%s)%n", r.id(), status, detail == null ? "" : ": " + detail);
    out.printf("  dataset %s, difficulty %s (observed %s), %s%n", q.dataset().file(),
        q.difficulty(), v == null ? "-" : v.observedDifficulty(),
        q.template() == null ? q.source() : q.source() + "/" + q.template());
    if (p.traceIndex() != null && v != null) {
      out.printf("  trace %d of %d%s%n", p.traceIndex() + 1, v.n(),
          p.mistake() == null ? "" : ", planted mistake: " + p.mistake());
    }
    out.println();
    out.println("Question: " + q.text());
    if (q.hint() != null) {
      out.println("Hint: " + q.hint());
    }
    if (q.answer() != null) {
      out.println("Ground truth: " + Answers.format(q.answer()) + "   program: "
          + Json.write(q.program()));
    }
    out.println();
    List<TraceStep> steps = p.trace() == null ? List.of() : p.trace();
    List<String> thoughts = thoughts(r.messages());
    for (int i = 0; i < steps.size(); i++) {
      TraceStep s = steps.get(i);
      String thought = i < thoughts.size() ? thoughts.get(i) : null;
      out.printf("Step %d%s%n  SQL: %s%n", s.step(), thought == null ? "" : "  (" + thought + ")",
          s.sql().replace("\n", "\n       "));
      if (s.ok()) {
        out.printf("  -> %d row%s, columns %s%n", s.rowCount(), s.rowCount() == 1 ? "" : "s",
            s.columns());
        for (List<Object> row : s.rows().subList(0, Math.min(ROWS_SHOWN, s.rows().size()))) {
          out.println("     " + Json.write(row));
        }
        if (s.rows().size() > ROWS_SHOWN || s.rowCount() > s.rows().size()) {
          out.println("     ...");
        }
      } else {
        out.println("  -> error: " + s.error().replace("\n", "\n     "));
      }
    }
    Message last = r.messages().isEmpty() ? null : r.messages().get(r.messages().size() - 1);
    if (last != null && Message.ASSISTANT.equals(last.role())) {
      out.println("Final: " + last.text());
    }
    if (v != null) {
      List<String> answers = new ArrayList<>();
      v.answers().forEach(a -> answers.add(a == null ? "(none)" : Answers.format(a)));
      out.println();
      out.printf("Answers of the %d traces: %s%n", v.n(), String.join(" | ", answers));
      out.printf(Locale.ROOT, "Verdict: %s; majority %s, agreement %d/%d = %.2f%s%s%n",
          v.verified() ? "verified" : "not verified",
          v.majority() == null ? "-" : Answers.format(v.majority()),
          Math.round(v.agreement() * v.n()), v.n(), v.agreement(), v.tied() ? ", tied" : "",
          v.groundTruth() == null ? "" : ", ground truth " + Answers.format(v.groundTruth()));
    }
  }

  /** The assistant's words before each SQL call, in order (null when it said nothing). */
  private static List<String> thoughts(List<Message> messages) {
    List<String> out = new ArrayList<>();
    for (Message m : messages) {
      if (m.toolCalls() != null && !m.toolCalls().isEmpty()) {
        out.add(m.text());
      }
    }
    return out;
  }
}
