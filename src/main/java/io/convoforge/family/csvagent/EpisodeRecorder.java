package io.convoforge.family.csvagent;

import io.convoforge.core.model.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds an {@link Episode} step by step while it runs: the system message (task, table and
 * schema), the user's question, then for each {@link #step} an assistant {@code run_sql} call, the
 * real result from the {@link SqlSandbox} as the tool message, and a {@link TraceStep}; {@link
 * #answer} closes it with the final assistant message. Used by the scripted solver and meant for
 * the LLM solver too. Not thread-safe; one recorder per episode. {@link #step} throws
 * IllegalStateException past {@code maxTurns} steps or after the answer.
 */
public final class EpisodeRecorder {
  /** The one tool of every episode, in OpenAI {@code tools} format. */
  public static final List<Map<String, Object>> TOOLS = List.of(Map.of(
      "type", "function",
      "function", Map.of(
          "name", ChatMessage.RUN_SQL,
          "description", "Run one read-only DuckDB SQL query against the loaded table. Returns the"
              + " column names, the first rows and the total row count, or the error.",
          "parameters", Map.of(
              "type", "object",
              "properties", Map.of("sql", Map.of("type", "string",
                  "description", "A single SELECT, WITH, DESCRIBE, SUMMARIZE or SHOW statement.")),
              "required", List.of("sql")))));

  private final Question question;
  private final SqlSandbox sandbox;
  private final int maxTurns;
  private final List<ChatMessage> messages = new ArrayList<>();
  private final List<TraceStep> trace = new ArrayList<>();
  private SqlResult lastOk;
  private boolean done;

  public EpisodeRecorder(Question question, SqlSandbox sandbox, int maxTurns) {
    if (maxTurns < 1) {
      throw new IllegalArgumentException("maxTurns must be >= 1");
    }
    this.question = question;
    this.sandbox = sandbox;
    this.maxTurns = maxTurns;
    messages.add(ChatMessage.system(systemPrompt(question.dataset().file(), sandbox)));
    messages.add(ChatMessage.user(question.text()));
  }

  /** The system message: the task and {@link #schemaText}. */
  public static String systemPrompt(String file, SqlSandbox sandbox) {
    return "You are a careful data analyst. " + schemaText(file, sandbox)
        + "Empty cells are NULL. Answer the user's question by running read-only SQL with the"
        + " run_sql tool, one statement per call; each result shows the first "
        + sandbox.limits().rowCap() + " rows and the total row count. When you know the answer,"
        + " reply with it in one short sentence.";
  }

  /**
   * The table an agent works on: the file, its SQL name and each column with its DuckDB type,
   * one per line (also the {@code {{schema}}} of the LLM solve prompt).
   */
  public static String schemaText(String file, SqlSandbox sandbox) {
    StringBuilder s = new StringBuilder("The CSV file ").append(file)
        .append(" is loaded in DuckDB as the table ").append(Sql.ident(sandbox.table()))
        .append(". Columns:\n");
    sandbox.schema().forEach(c -> s.append("- ").append(Sql.ident(c.name())).append(' ')
        .append(c.type()).append('\n'));
    return s.toString();
  }

  public boolean canStep() {
    return !done && trace.size() < maxTurns;
  }

  public int steps() {
    return trace.size();
  }

  /** Runs {@code sql} and records the call, its observation and the trace step. */
  public SqlResult step(String thought, String sql) {
    if (!canStep()) {
      throw new IllegalStateException("no turns left (" + maxTurns + ") or already answered");
    }
    String callId = "call_" + (trace.size() + 1);
    SqlResult r = sandbox.run(sql);
    messages.add(ChatMessage.runSql(callId, thought, sql));
    messages.add(ChatMessage.tool(callId, Json.write(r.observation())));
    trace.add(TraceStep.of(trace.size() + 1, sql, r));
    if (r.ok()) {
      lastOk = r;
    }
    return r;
  }

  /** The last successful result so far, or null. */
  public SqlResult lastOk() {
    return lastOk;
  }

  /** Closes the episode with a final assistant message stating {@code answer}. */
  public Episode answer(int traceIndex, Object answer, String mistake) {
    done = true;
    messages.add(ChatMessage.assistant(answer == null
        ? "I could not determine the answer from the query results."
        : "The answer is " + Answers.format(answer) + "."));
    return new Episode(Episode.id(question.id(), traceIndex), question.id(), traceIndex, TOOLS,
        List.copyOf(messages), List.copyOf(trace), answer, mistake);
  }
}
