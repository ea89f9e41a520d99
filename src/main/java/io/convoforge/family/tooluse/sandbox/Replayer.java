package io.convoforge.family.tooluse.sandbox;

import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Turn;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.ToolSpec;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Replays a conversation in an empty {@link Sandbox} (see {@link #open}): inserts its {@code
 * initial_entities}, runs every expected call in order and compares each result with what the
 * conversation intends (its {@code expect_error}, and the recorded result where there is one).
 * Not thread-safe (it owns a key generator); one per DoFn instance.
 */
public final class Replayer {
  /** One executed call and, when it did not behave as intended, the deviation's type. */
  public record Step(int turn, int index, ToolCall call, ToolResult result,
      Sandbox.Problem problem, ToolResult recorded, String deviation) {}

  /** A replay: seed problems, the executed steps, conversation-level problems, the final state. */
  public record Result(List<Sandbox.Problem> seedProblems, List<Step> steps,
      List<String> outcomeProblems, Map<String, List<Map<String, Object>>> state) {

    /** Seed problems, deviating calls and outcome problems: the execution failures. */
    public int failures() {
      int n = seedProblems.size() + outcomeProblems.size();
      for (Step s : steps) {
        if (s.deviation() != null) {
          n++;
        }
      }
      return n;
    }

    public Step firstDeviation() {
      for (Step s : steps) {
        if (s.deviation() != null) {
          return s;
        }
      }
      return null;
    }

    /** The executed results of one turn, in call order. */
    public List<ToolResult> resultsOf(int turn) {
      List<ToolResult> out = new ArrayList<>();
      for (Step s : steps) {
        if (s.turn() == turn) {
          out.add(s.result());
        }
      }
      return out;
    }
  }

  private final TablesSchema schema;
  private final Map<String, ToolSpec> tools;
  private final SandboxDdl ddl;
  private final ValueGenerator keys = new ValueGenerator();
  private final AtomicBoolean inUse = new AtomicBoolean();
  private Connection database;

  public Replayer(TablesSchema schema, Map<String, ToolSpec> tools) {
    this.schema = schema;
    this.tools = tools;
    this.ddl = SandboxDdl.of(schema);
  }

  public ToolSpec tool(String name) {
    return tools.get(name);
  }

  public TablesSchema schema() {
    return schema;
  }

  /**
   * A sandbox for {@code c}: in this replayer's database, emptied by a rollback when the
   * sandbox closes (creating the tables was most of a replay's time), or in a fresh database
   * while that one is in use (two sandboxes open at once).
   */
  public Sandbox open(Conversation c) {
    if (!inUse.compareAndSet(false, true)) {
      return Sandbox.open(schema, tools, ddl, c.id(), keys);
    }
    if (database == null) {
      database = Sandbox.database(ddl);
    }
    return Sandbox.reuse(database, schema, tools, ddl, c.id(), keys, () -> inUse.set(false));
  }

  public Result replay(Conversation c, boolean withState) {
    try (Sandbox sb = open(c)) {
      List<Sandbox.Problem> seedProblems = sb.seedAll(c.initialEntities());
      List<Step> steps = new ArrayList<>();
      int intended = 0;
      List<Turn> turns = c.turns() == null ? List.of() : c.turns();
      for (int ti = 0; ti < turns.size(); ti++) {
        Turn t = turns.get(ti);
        for (int ci = 0; ci < t.expectedToolCalls().size(); ci++) {
          ToolCall call = t.expectedToolCalls().get(ci);
          ToolResult r = sb.execute(call);
          ToolResult recorded = ci < t.toolResults().size() ? t.toolResults().get(ci) : null;
          if (call.expectError() != null) {
            intended++;
          }
          steps.add(new Step(ti, ci, call, r, r.ok() ? null : sb.lastProblem(), recorded,
              deviation(call, r, recorded)));
        }
      }
      List<String> outcome = new ArrayList<>();
      if (c.isFailure() && intended != 1) {
        outcome.add(intended == 0 ? "no_intended_failure" : "several_intended_failures");
      }
      if (!c.isFailure() && intended > 0) {
        outcome.add("success_with_intended_failure");
      }
      return new Result(seedProblems, steps, outcome, withState ? sb.dump() : Map.of());
    }
  }

  static String deviation(ToolCall call, ToolResult r, ToolResult recorded) {
    if (call.expectError() == null) {
      if (!r.ok()) {
        return r.error().code();
      }
      if (recorded != null && recorded.ok() && missingRows(r, recorded)) {
        return "search_missing_rows";
      }
      return null;
    }
    if (r.ok()) {
      return "intended_failure_succeeded";
    }
    if (!call.expectError().equals(r.error().code())) {
      return "wrong_error";
    }
    if (recorded != null && !recorded.ok() && recorded.error() != null
        && recorded.error().message() != null
        && !recorded.error().message().equals(r.error().message())) {
      return "wrong_failure";
    }
    return null;
  }

  /** True when a recorded search listed rows (by their full content) that the replay lacks. */
  private static boolean missingRows(ToolResult actual, ToolResult recorded) {
    List<?> want = results(recorded.output());
    if (want == null || want.isEmpty()) {
      return false;
    }
    List<?> got = results(actual.output());
    Set<String> have = new HashSet<>();
    if (got != null) {
      for (Object o : got) {
        have.add(Canonical.json(o));
      }
    }
    for (Object o : want) {
      if (!have.contains(Canonical.json(o))) {
        return true;
      }
    }
    return false;
  }

  static List<?> results(Object output) {
    if (output instanceof Map<?, ?> m && m.get("results") instanceof List<?> l) {
      return l;
    }
    return null;
  }
}
