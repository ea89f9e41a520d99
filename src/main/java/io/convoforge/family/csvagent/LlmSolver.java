package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.llm.LlmSession;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.RejectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The teacher model as a solver: answers a question step by step through the {@code solve}
 * prompt. Each step the model sees the table's schema, the question and every earlier SQL
 * statement with its real result from the {@link SqlSandbox}; it answers {@code {"action":
 * "sql"}} (the statement is run and recorded) or {@code {"action": "answer"}} (the episode
 * ends). After {@code maxTurns} statements it must answer; if it still asks for SQL, the
 * episode ends without an answer.
 *
 * <p>Calls go through the {@link LlmSession} with the element id {@code <question id>/t<i>}, so
 * each of the n traces is its own cached sample (at the stage's temperature, which the family
 * requires to be above 0 for n > 1). Out: an {@link Episode} like the scripted teacher's.
 * Failures: the session's rejection (schema-invalid or inconsistent answer after the re-ask,
 * provider errors) for this trace, thrown as {@link RejectException}.
 */
public final class LlmSolver {
  public static final String PROMPT = "solve";
  /** What a step answer must satisfy beyond the output schema. */
  static final LlmSession.Check CHECK = a -> {
    String action = a.path("action").asText();
    if ("sql".equals(action) && a.path("sql").asText("").isBlank()) {
      return List.of("action sql needs a non-empty sql");
    }
    if ("answer".equals(action) && (a.path("answer").isNull() || a.path("answer").isMissingNode())) {
      return List.of("action answer needs a non-null answer");
    }
    return List.of();
  };

  private LlmSolver() {}

  /** The cache and throttle id of trace {@code i} of a question. */
  public static String elementId(String questionId, int trace) {
    return questionId + "/t" + trace;
  }

  public static Episode solve(LlmSession session, Question q, SqlSandbox sandbox, int maxTurns,
      int trace) throws RejectException {
    EpisodeRecorder rec = new EpisodeRecorder(q, sandbox, maxTurns);
    String schema = EpisodeRecorder.schemaText(q.dataset().file(), sandbox);
    List<String> history = new ArrayList<>();
    for (int ask = 0; ask <= maxTurns; ask++) {
      JsonNode a = session.ask(PROMPT, Map.of(
          "schema", schema,
          "table", Sql.ident(sandbox.table()),
          "question", q.text(),
          "history", history.isEmpty() ? "(none yet)" : String.join("\n", history),
          "steps_left", String.valueOf(maxTurns - rec.steps())), elementId(q.id(), trace), CHECK);
      if ("answer".equals(a.path("action").asText())) {
        return rec.answer(trace, Answers.round(value(a.path("answer"))), null);
      }
      if (!rec.canStep()) {
        break;
      }
      String sql = a.path("sql").asText();
      SqlResult r = rec.step(null, sql);
      history.add("Step " + rec.steps() + ": SQL: " + sql.replace('\n', ' '));
      history.add("Result: " + Json.write(r.observation()));
    }
    return rec.answer(trace, null, null);
  }

  /** A JSON answer as a Java value: integers as long, other numbers as double, lists, text. */
  static Object value(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isIntegralNumber()) {
      return n.asLong();
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isArray()) {
      List<Object> out = new ArrayList<>();
      n.forEach(x -> out.add(value(x)));
      return out;
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    return n.asText();
  }
}
