package io.convoforge.family.tooluse.stages;

import io.convoforge.core.model.Record;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.core.stages.RecordStage;
import io.convoforge.core.stages.StageResult;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.ToolUse;
import io.convoforge.family.tooluse.model.Turn;
import io.convoforge.family.tooluse.sandbox.Replayer;
import io.convoforge.family.tooluse.schema.Table;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.values.PCollection;

/**
 * Fills each turn's {@code tool_results} from real execution in the sandbox and each empty
 * {@code expected_response.text} from those results (one template per action and outcome, quoting
 * the keys, values and error messages the database returned). Non-empty text is kept as written.
 *
 * <p>In: conversations whose calls execute as intended (run {@link RepairSeedMetadata} first).
 * Out: the same with executed results and no empty response. Failures:
 * {@code execution_failed:<type>} when a call does not behave as the outcome says (there is no
 * truthful text to write then). Deterministic; no retries.
 */
public final class EnrichResponses extends RecordStage<ToolUse, ToolUse> {
  public static final String STAGE = "enrich";
  private final ToolUseContext ctx;

  private EnrichResponses(ToolUseContext ctx) {
    super("EnrichResponses");
    this.ctx = ctx;
  }

  public static EnrichResponses using(ToolUseContext ctx) {
    return new EnrichResponses(ctx);
  }

  @Override
  public StageResult<ToolUse> expand(PCollection<Record<ToolUse>> input) {
    return applyFn(input, "Enrich", new EnrichFn(ctx), ctx.backend());
  }

  static final class EnrichFn extends ToolUseFn {
    private final Counter filled = Metrics.counter(EnrichFn.class, "responses_filled");
    private final Counter resultsChanged = Metrics.counter(EnrichFn.class, "tool_results_changed");
    private transient Replayer replayer;

    EnrichFn(ToolUseContext ctx) {
      super(STAGE, ctx);
    }

    @Override
    protected void open() {
      replayer = new Replayer(ctx.schema(), ctx.tools());
    }

    @Override
    protected Conversation apply(Conversation c) throws RejectException {
      Replayer.Result r = replayer.replay(c, false);
      if (r.failures() > 0) {
        Replayer.Step s = r.firstDeviation();
        String type = !r.seedProblems().isEmpty() ? r.seedProblems().get(0).type()
            : !r.outcomeProblems().isEmpty() ? r.outcomeProblems().get(0) : s.deviation();
        String detail = !r.seedProblems().isEmpty() ? r.seedProblems().get(0).message()
            : s == null ? "the calls do not match the outcome"
            : s.call().name() + ": " + (s.result().ok() ? "succeeded" : s.result().error()
                .message());
        throw new RejectException("execution_failed:" + type, detail);
      }
      List<Turn> turns = new ArrayList<>();
      for (int i = 0; i < c.turns().size(); i++) {
        Turn t = c.turns().get(i);
        List<ToolResult> results = r.resultsOf(i);
        if (!io.convoforge.family.tooluse.sandbox.Canonical.same(results, t.toolResults())) {
          resultsChanged.inc();
        }
        Turn out = t.withToolResults(results);
        String text = t.responseText();
        if (text == null || text.isBlank()) {
          filled.inc();
          out = out.withResponse(Templates.reply(ctx.schema(), ctx.tools(), c, i, out, turns));
        }
        turns.add(out);
      }
      return c.withTurns(turns);
    }
  }

  /** The reply templates: what an assistant says after each action's success or failure. */
  static final class Templates {
    private Templates() {}

    static String reply(TablesSchema schema, Map<String, ToolSpec> tools, Conversation c,
        int index, Turn turn, List<Turn> before) {
      if (turn.expectedToolCalls().isEmpty()) {
        if (index == c.turns().size() - 1) {
          return closing(schema, tools, before);
        }
        if (index == 0) {
          return "Happy to help with that. Which details should I use?";
        }
        List<String> done = done(schema, tools, before);
        return done.isEmpty() ? "Understood. Please give me the details and I will take care of it."
            : "So far I " + String.join(", ", done) + ". What should I do next?";
      }
      List<String> parts = new ArrayList<>();
      for (int j = 0; j < turn.expectedToolCalls().size(); j++) {
        parts.add(sentence(schema, tools.get(turn.expectedToolCalls().get(j).name()),
            turn.expectedToolCalls().get(j), turn.toolResults().get(j)));
      }
      return String.join(" ", parts);
    }

    static String sentence(TablesSchema schema, ToolSpec spec, ToolCall call, ToolResult r) {
      if (spec == null) {
        return r.ok() ? "Done." : "That did not work: " + r.error().message();
      }
      Table t = schema.table(spec.table());
      String label = t.label();
      if (!r.ok()) {
        return "I could not " + spec.action() + " the " + label + ": " + r.error().message();
      }
      Map<?, ?> out = r.output() instanceof Map<?, ?> m ? m : Map.of();
      Object key = out.get(t.primaryKey()) != null ? out.get(t.primaryKey())
          : call.arguments().get(t.primaryKey());
      switch (spec.action()) {
        case "create":
          return "Done: the new " + label + " is saved with " + t.key().label() + " "
              + ValueGenerator.render(key) + ".";
        case "get":
          return "Here is " + label + " " + ValueGenerator.render(key) + ": " + fields(t, out)
              + ".";
        case "search": {
          List<?> rows = out.get("results") instanceof List<?> l ? l : List.of();
          if (rows.isEmpty()) {
            return "I found no " + label + " matching that.";
          }
          List<String> keys = new ArrayList<>();
          for (Object o : rows) {
            if (o instanceof Map<?, ?> m) {
              keys.add(ValueGenerator.render(m.get(t.primaryKey())));
            }
          }
          return "I found " + rows.size() + " matching " + label + (rows.size() == 1 ? "" : "s")
              + ": " + String.join(", ", keys) + ".";
        }
        case "update":
          return "Updated " + label + " " + ValueGenerator.render(key) + "; it now reads "
              + fields(t, out) + ".";
        case "delete":
          return "Deleted " + label + " " + ValueGenerator.render(key) + ".";
        default:
          return "Done.";
      }
    }

    private static String fields(Table t, Map<?, ?> row) {
      List<String> parts = new ArrayList<>();
      for (Map.Entry<?, ?> e : row.entrySet()) {
        String col = String.valueOf(e.getKey());
        if (!col.equals(t.primaryKey()) && t.column(col) != null) {
          parts.add(t.column(col).label() + " " + ValueGenerator.render(e.getValue()));
        }
      }
      return parts.isEmpty() ? "no further details" : String.join(", ", parts);
    }

    private static String closing(TablesSchema schema, Map<String, ToolSpec> tools,
        List<Turn> before) {
      List<String> done = done(schema, tools, before);
      String failure = null;
      for (Turn t : before) {
        for (ToolResult r : t.toolResults()) {
          if (!r.ok()) {
            failure = r.error().message();
          }
        }
      }
      String recap = done.isEmpty() ? "" : " To recap, I " + String.join(", ", done) + ".";
      return failure != null
          ? "I'm sorry that part could not be completed (" + failure + ")." + recap
          : "You're welcome, everything is in place." + recap;
    }

    /** What the calls so far changed, as "created the contact", in order. */
    private static List<String> done(TablesSchema schema, Map<String, ToolSpec> tools,
        List<Turn> before) {
      List<String> done = new ArrayList<>();
      for (Turn t : before) {
        for (int j = 0; j < t.expectedToolCalls().size() && j < t.toolResults().size(); j++) {
          ToolSpec spec = tools.get(t.expectedToolCalls().get(j).name());
          ToolResult r = t.toolResults().get(j);
          if (spec == null) {
            continue;
          }
          if (r.ok() && !"get".equals(spec.action()) && !"search".equals(spec.action())) {
            done.add(spec.action() + "d the " + schema.table(spec.table()).label());
          }
        }
      }
      return done;
    }
  }
}
