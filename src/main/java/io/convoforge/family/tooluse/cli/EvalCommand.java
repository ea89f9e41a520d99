package io.convoforge.family.tooluse.cli;

import io.convoforge.core.input.InputException;
import io.convoforge.core.llm.Secrets;
import io.convoforge.core.model.Json;
import io.convoforge.core.run.DatasetDir;
import io.convoforge.core.run.Inputs;
import io.convoforge.family.tooluse.ToolUseRun;
import io.convoforge.family.tooluse.eval.Agent;
import io.convoforge.family.tooluse.eval.Evaluator;
import io.convoforge.family.tooluse.eval.MockAgent;
import io.convoforge.family.tooluse.eval.OpenAiAgent;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.sandbox.Replayer;
import io.convoforge.family.tooluse.schema.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code convoforge eval DIR --agent mock|openai:MODEL}: the customer baseline. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Replays each conversation to an agent turn by turn, executes its tool calls in"
        + " the sandbox and scores tool-call exact match, final database state and end-to-end"
        + " success, per task, chain, outcome and overall. --agent mock replays the expected"
        + " calls (must score 100%%); --agent openai:MODEL uses an OpenAI-compatible endpoint"
        + " (OPENAI_API_KEY from the environment or .env; --base-url for other servers).")
public final class EvalCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Option(names = "--agent", required = true, paramLabel = "mock|openai:MODEL")
  String agent;

  @Option(names = "--base-url", description = "OpenAI-compatible endpoint (default: OpenAI).")
  String baseUrl;

  @Option(names = "--recipe", description = "Recipe file (default: the one in DIR/report.json).")
  Path recipe;

  @Option(names = "--limit", description = "Evaluate only the first N conversations (by id).")
  Integer limit;

  @Option(names = "--json", description = "Print one JSON document.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    DatasetDir.conversationFiles(dir);
    Inputs inputs = DatasetDir.inputs(dir, recipe, List.of());
    List<Conversation> convs = new ArrayList<>();
    for (Path f : DatasetDir.conversationFiles(dir)) {
      for (String line : Files.readAllLines(f)) {
        if (!line.isBlank()) {
          convs.add(Json.read(line, Conversation.class));
        }
      }
    }
    convs.sort((a, b) -> a.id().compareTo(b.id()));
    if (limit != null && limit < convs.size()) {
      convs = convs.subList(0, limit);
    }
    Map<String, Object> report;
    try (Agent a = agent(ToolUseRun.of(inputs))) {
      report = new Evaluator(new Replayer(ToolUseRun.of(inputs).schema(),
          Tools.derive(ToolUseRun.of(inputs).schema())))
          .evaluate(convs, a);
    }
    if (json) {
      System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    } else {
      System.out.printf("agent %s on %d conversations%n", report.get("agent"), convs.size());
      System.out.printf("%-24s %6s %9s %12s %8s%n", "slice", "convs", "success", "exact_calls",
          "state");
      row("overall", report.get("overall"));
      for (String group : List.of("by_outcome", "by_task", "by_chain")) {
        ((Map<?, ?>) report.get(group)).forEach((k, v) -> row(group.substring(3) + " " + k, v));
      }
    }
    return 0;
  }

  private static void row(String name, Object v) {
    Map<?, ?> m = (Map<?, ?>) v;
    System.out.printf("%-24s %6s %8.1f%% %11.1f%% %7.1f%%%n", name, m.get("conversations"),
        100 * ((Number) m.get("success_rate")).doubleValue(),
        100 * ((Number) m.get("tool_call_exact_match")).doubleValue(),
        100 * ((Number) m.get("state_match")).doubleValue());
  }

  private Agent agent(ToolUseRun run) {
    if ("mock".equals(agent)) {
      return new MockAgent();
    }
    int colon = agent.indexOf(':');
    String backend = colon < 0 ? agent : agent.substring(0, colon);
    String model = colon < 0 ? "" : agent.substring(colon + 1);
    if (!"openai".equals(backend) || model.isBlank()) {
      throw new InputException("--agent " + agent, null,
          "expected mock or openai:MODEL (any OpenAI-compatible server with --base-url)");
    }
    String key = Secrets.get("OPENAI_API_KEY");
    if (key == null) {
      throw new InputException("--agent " + agent, null,
          "needs OPENAI_API_KEY in the environment or in ./.env");
    }
    return new OpenAiAgent(model, baseUrl, key, Tools.derive(run.schema()).values());
  }
}
