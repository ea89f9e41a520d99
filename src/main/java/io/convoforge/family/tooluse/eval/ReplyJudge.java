package io.convoforge.family.tooluse.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.llm.Backend;
import io.convoforge.core.llm.LlmSession;
import io.convoforge.core.llm.Prompts;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.RejectException;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Turn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The LLM judge of {@code eval --judge PROVIDER:MODEL}: grades each agent reply against the
 * reference turn (the expected calls, their results and the expected response) and the agent's
 * own calls with the results the sandbox really returned, on three criteria, each a boolean with
 * a one-line reason: {@code correct}, {@code faithful}, {@code complete}. Prompts in {@code
 * transforms/tool-use/eval_judge/}. Every call goes through the core {@link LlmSession} (cache
 * keyed by conversation, turn and agent; throttle; retries; schema check and one re-ask).
 *
 * <p>Failures: a judge that cannot answer (provider error, invalid answer after the re-ask)
 * yields a {@link Verdict} with its {@code error} and no criteria; it does not pass.
 */
public final class ReplyJudge implements AutoCloseable {
  public static final String STAGE = "eval_judge";
  public static final List<String> CRITERIA = List.of("correct", "faithful", "complete");

  /** One criterion's grade. */
  public record Criterion(boolean passed, String reason) {}

  /** The grades of one reply, or the reason there are none. */
  public record Verdict(Map<String, Criterion> criteria, String error) {
    public boolean passed() {
      return error == null && criteria.values().stream().allMatch(Criterion::passed);
    }
  }

  private final String name;
  private final LlmSession session;

  /** A judge named {@code name} (its {@code --judge} value) on {@code backend}. */
  public ReplyJudge(String name, Backend backend, String promptsDir, String runId) {
    this.name = name;
    this.session = backend.open(Prompts.load(promptsDir, "tool-use", List.of(STAGE), List.of()),
        STAGE, runId);
  }

  public String name() {
    return name;
  }

  /** Grades the agent's reply to turn {@code index} of {@code c}. */
  public Verdict grade(Conversation c, int index, Evaluator.TurnResult got, String agent) {
    Turn t = c.turns().get(index);
    List<Map<String, Object>> made = new ArrayList<>();
    for (int i = 0; i < got.calls().size(); i++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("call", got.calls().get(i));
      m.put("result", got.results().get(i));
      made.add(m);
    }
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("outcome", c.outcome());
    vars.put("user", t.user());
    vars.put("expected_calls", Json.write(t.expectedToolCalls()));
    vars.put("expected_results", Json.write(t.toolResults()));
    vars.put("expected_response", String.valueOf(t.responseText()));
    vars.put("agent_calls", Json.write(made));
    vars.put("agent_reply", got.reply() == null ? "" : got.reply());
    try {
      JsonNode a = session.ask(STAGE, vars, c.id() + "/turn-" + index + "/" + agent,
          LlmSession.Check.NONE);
      Map<String, Criterion> out = new LinkedHashMap<>();
      for (String k : CRITERIA) {
        out.put(k, new Criterion(a.path(k).path("passed").asBoolean(false),
            a.path(k).path("detail").asText("")));
      }
      return new Verdict(out, null);
    } catch (RejectException e) {
      return new Verdict(Map.of(), e.reason() + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    session.close();
  }
}
