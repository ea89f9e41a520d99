package io.convoforge.family.tooluse.eval;

import io.convoforge.core.llm.LlmAccounting;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Turn;
import io.convoforge.family.tooluse.sandbox.Canonical;
import io.convoforge.family.tooluse.sandbox.Replayer;
import io.convoforge.family.tooluse.sandbox.Sandbox;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.Tools;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The customer baseline: replays each conversation turn by turn to an {@link Agent}, executing
 * the agent's calls in a sandbox seeded with the conversation's {@code initial_entities}, and
 * scores it against the expected calls replayed in a second sandbox (τ-bench style):
 * <ul>
 *   <li>{@code tool_call_exact_match}: the agent made exactly the expected calls, in order, with
 *       the same names and arguments (numbers compared by value);
 *   <li>{@code state_match}: the final database (every table, every row) equals the expected one;
 *   <li>{@code success}: state matches, every expected call was made (any order, other calls
 *       allowed: a look-up never made is no success) and the calls ended as the outcome says (no
 *       failed call in a success conversation; the intended error reached in a failure one).
 * </ul>
 * With a {@link ReplyJudge}, every reply is also graded; a conversation {@code passed} when it
 * succeeded and every reply passed every criterion (without a judge: when it succeeded).
 *
 * <p>Keys of created rows follow {@code Keys.created}, so an agent that creates the same rows
 * gets the same keys and later calls stay comparable. An agent that throws (a provider error
 * after the retries) scores zero on that conversation, with the error kept; the others go on.
 * Conversations run concurrently on {@code threads} threads, each in its own sandboxes; the
 * scores come back in input order.
 */
public final class Evaluator {
  /** The agent's side of one turn: its reply, its calls with their results, and the judge's. */
  public record TurnResult(String reply, List<ToolCall> calls, List<ToolResult> results,
      boolean refused, int malformedCalls, ReplyJudge.Verdict judge) {
    TurnResult withJudge(ReplyJudge.Verdict v) {
      return new TurnResult(reply, calls, results, refused, malformedCalls, v);
    }
  }

  /** One conversation's scores. */
  public record Score(String id, String taskId, String chainId, String outcome,
      boolean exactMatch, boolean stateMatch, boolean success, int agentCalls, String error,
      List<TurnResult> turns) {
    public int refusals() {
      return (int) turns.stream().filter(TurnResult::refused).count();
    }

    public int malformedCalls() {
      return turns.stream().mapToInt(TurnResult::malformedCalls).sum();
    }

    /** True when a judge graded the replies. */
    public boolean judged() {
      return !turns.isEmpty() && turns.stream().allMatch(t -> t.judge() != null);
    }

    /** Success, and (when judged) every reply passed every criterion. */
    public boolean passed() {
      return success && (!judged() || turns.stream().allMatch(t -> t.judge().passed()));
    }

    Score withTurns(List<TurnResult> t) {
      return new Score(id, taskId, chainId, outcome, exactMatch, stateMatch, success,
          agentCalls, error, t);
    }
  }

  private final Supplier<Replayer> replayers;

  /** One evaluator for one thread, over {@code replayer}. */
  public Evaluator(Replayer replayer) {
    this.replayers = () -> replayer;
  }

  /** An evaluator over {@code schema}, with a replayer per thread. */
  public Evaluator(TablesSchema schema) {
    ThreadLocal<Replayer> local = ThreadLocal.withInitial(
        () -> new Replayer(schema, Tools.derive(schema)));
    this.replayers = local::get;
  }

  public Score score(Conversation c, Agent agent) {
    Replayer replayer = replayers.get();
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
    List<TurnResult> turns = new ArrayList<>();
    String error = null;
    Map<String, List<Map<String, Object>>> state;
    try (Sandbox sb = replayer.open(c)) {
      sb.seedAll(c.initialEntities());
      Agent.Session session = agent.start(c);
      try {
        for (Turn t : c.turns()) {
          List<ToolCall> calls = new ArrayList<>();
          List<ToolResult> got = new ArrayList<>();
          Agent.Reply reply = session.respond(t.user(), call -> {
            ToolResult r = sb.execute(call);
            calls.add(call);
            got.add(r);
            return r;
          });
          made.addAll(calls);
          results.addAll(got);
          turns.add(new TurnResult(reply.text(), calls, got, reply.refused(),
              reply.malformedCalls(), null));
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
        stateMatch, stateMatch && endedRight && covers(made, expected), made.size(), error,
        turns);
  }

  /**
   * True when every expected call was made (same name and arguments), in any order, other calls
   * allowed: a look-up the agent never made is not a success even though the state matches.
   */
  static boolean covers(List<ToolCall> made, List<ToolCall> expected) {
    List<ToolCall> left = new ArrayList<>(made);
    for (ToolCall e : expected) {
      boolean found = false;
      for (int i = 0; i < left.size() && !found; i++) {
        if (left.get(i).name().equals(e.name())
            && Canonical.same(left.get(i).arguments(), e.arguments())) {
          left.remove(i);
          found = true;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /** Grades every played turn of {@code s} with {@code judge} (none when the agent failed). */
  public static Score judge(Conversation c, Score s, ReplyJudge judge, String agent) {
    if (judge == null || s.error() != null) {
      return s;
    }
    List<TurnResult> graded = new ArrayList<>();
    for (int i = 0; i < s.turns().size(); i++) {
      graded.add(s.turns().get(i).withJudge(judge.grade(c, i, s.turns().get(i), agent)));
    }
    return s.withTurns(graded);
  }

  /**
   * Plays {@code convs} to {@code agent} on {@code threads} threads and grades them with {@code
   * judge} (may be null); the agent's calls are counted into {@code agentTally}, the judge's
   * into {@code judgeTally}. Scores in input order.
   */
  public List<Score> play(List<Conversation> convs, Agent agent, ReplyJudge judge, int threads,
      LlmAccounting.Tally agentTally, LlmAccounting.Tally judgeTally) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "convoforge-eval");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Score>> futures = new ArrayList<>();
      for (Conversation c : convs) {
        futures.add(pool.submit(() -> {
          Score s;
          try (Closeable scope = agentTally.scope()) {
            s = score(c, agent);
          }
          try (Closeable scope = judgeTally.scope()) {
            return judge(c, s, judge, agent.name());
          }
        }));
      }
      List<Score> out = new ArrayList<>();
      for (Future<Score> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw new IllegalStateException("evaluation failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Scores every conversation on this thread; the report of {@link EvalReport#of}. */
  public Map<String, Object> evaluate(List<Conversation> convs, Agent agent) {
    List<Score> scores = new ArrayList<>();
    for (Conversation c : convs) {
      scores.add(score(c, agent));
    }
    return EvalReport.of(agent.name(), null, scores);
  }
}
