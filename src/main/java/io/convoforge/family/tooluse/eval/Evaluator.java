package io.convoforge.family.tooluse.eval;

import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Turn;
import io.convoforge.family.tooluse.sandbox.Canonical;
import io.convoforge.family.tooluse.sandbox.Replayer;
import io.convoforge.family.tooluse.sandbox.Sandbox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The customer baseline: replays each conversation turn by turn to an {@link Agent}, executing
 * the agent's calls in a sandbox seeded with the conversation's {@code initial_entities}, and
 * scores it against the expected calls replayed in a second sandbox (τ-bench style):
 * <ul>
 *   <li>{@code tool_call_exact_match}: the agent made exactly the expected calls, in order, with
 *       the same names and arguments (numbers compared by value);
 *   <li>{@code state_match}: the final database (every table, every row) equals the expected one;
 *   <li>{@code success}: state matches and the calls ended as the outcome says (no failed call in
 *       a success conversation; the intended error reached in a failure conversation).
 * </ul>
 * Keys of created rows follow {@code Keys.created}, so an agent that creates the same rows gets
 * the same keys and later calls stay comparable. An agent that throws scores zero on that
 * conversation, with the error kept.
 */
public final class Evaluator {
  /** One conversation's scores. */
  public record Score(String id, String taskId, String chainId, String outcome,
      boolean exactMatch, boolean stateMatch, boolean success, int agentCalls, String error) {}

  private final Replayer replayer;

  public Evaluator(Replayer replayer) {
    this.replayer = replayer;
  }

  public Score score(Conversation c, Agent agent) {
    List<ToolCall> expected = new ArrayList<>();
    Map<String, List<Map<String, Object>>> expectedState;
    String intended = null;
    try (Sandbox sb = replayer.open(c)) {
      sb.seedAll(c.initialEntities());
      for (Turn t : c.turns()) {
        for (ToolCall call : t.expectedToolCalls()) {
          expected.add(call);
          sb.execute(call);
          if (call.expectError() != null) {
            intended = call.expectError();
          }
        }
      }
      expectedState = sb.dump();
    }
    List<ToolCall> made = new ArrayList<>();
    List<ToolResult> results = new ArrayList<>();
    String error = null;
    Map<String, List<Map<String, Object>>> state;
    try (Sandbox sb = replayer.open(c)) {
      sb.seedAll(c.initialEntities());
      Agent.Session session = agent.start(c);
      try {
        for (Turn t : c.turns()) {
          session.respond(t.user(), call -> {
            made.add(call);
            ToolResult r = sb.execute(call);
            results.add(r);
            return r;
          });
        }
      } catch (Exception e) {
        error = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      state = sb.dump();
    }
    boolean exact = made.size() == expected.size();
    for (int i = 0; exact && i < made.size(); i++) {
      exact = made.get(i).name().equals(expected.get(i).name())
          && Canonical.same(made.get(i).arguments(), expected.get(i).arguments());
    }
    boolean stateMatch = error == null && Canonical.same(state, expectedState);
    boolean endedRight;
    if (c.isFailure()) {
      String want = intended;
      endedRight = results.stream().anyMatch(r -> !r.ok() && r.error().code().equals(want));
    } else {
      endedRight = results.stream().allMatch(ToolResult::ok);
    }
    return new Score(c.id(), c.taskId(), c.chainId(), c.outcome(), exact && error == null,
        stateMatch, stateMatch && endedRight, made.size(), error);
  }

  /** Scores every conversation; the report has overall, by_task, by_chain, by_outcome. */
  public Map<String, Object> evaluate(List<Conversation> convs, Agent agent) {
    List<Score> scores = new ArrayList<>();
    for (Conversation c : convs) {
      scores.add(score(c, agent));
    }
    return report(agent.name(), scores);
  }

  static Map<String, Object> report(String agent, List<Score> scores) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("agent", agent);
    out.put("overall", aggregate(scores));
    out.put("by_task", group(scores, Score::taskId));
    out.put("by_chain", group(scores, Score::chainId));
    out.put("by_outcome", group(scores, Score::outcome));
    List<Map<String, Object>> errors = new ArrayList<>();
    for (Score s : scores) {
      if (s.error() != null && errors.size() < 20) {
        errors.add(Map.of("id", s.id(), "error", s.error()));
      }
    }
    out.put("errors", errors);
    return out;
  }

  private static Map<String, Object> group(List<Score> scores,
      java.util.function.Function<Score, String> key) {
    Map<String, List<Score>> groups = new TreeMap<>();
    for (Score s : scores) {
      String k = key.apply(s);
      if (k != null) {
        groups.computeIfAbsent(k, x -> new ArrayList<>()).add(s);
      }
    }
    Map<String, Object> out = new TreeMap<>();
    groups.forEach((k, v) -> out.put(k, aggregate(v)));
    return out;
  }

  private static Map<String, Object> aggregate(List<Score> scores) {
    Map<String, Object> m = new LinkedHashMap<>();
    int n = scores.size();
    m.put("conversations", n);
    m.put("success_rate", rate(scores.stream().filter(Score::success).count(), n));
    m.put("tool_call_exact_match", rate(scores.stream().filter(Score::exactMatch).count(), n));
    m.put("state_match", rate(scores.stream().filter(Score::stateMatch).count(), n));
    return m;
  }

  private static double rate(long k, int n) {
    return n == 0 ? 0 : Math.round(k * 10000.0 / n) / 10000.0;
  }
}
