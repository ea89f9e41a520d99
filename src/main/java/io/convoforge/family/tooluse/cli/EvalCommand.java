package io.convoforge.family.tooluse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.convoforge.core.input.InputException;
import io.convoforge.core.llm.LlmAccounting;
import io.convoforge.core.model.Json;
import io.convoforge.core.run.DatasetDir;
import io.convoforge.core.run.IdsDigest;
import io.convoforge.core.run.Inputs;
import io.convoforge.family.tooluse.ToolUseRun;
import io.convoforge.family.tooluse.eval.Agent;
import io.convoforge.family.tooluse.eval.Agents;
import io.convoforge.family.tooluse.eval.EvalReport;
import io.convoforge.family.tooluse.eval.Evaluator;
import io.convoforge.family.tooluse.eval.ReplyJudge;
import io.convoforge.family.tooluse.eval.Sampler;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code convoforge eval DIR --agent A [--agent B ...] [--judge J] [--sample N --seed S]}: the
 * customer baselines. Reads the dataset, samples it when asked ({@link Sampler}), plays it to
 * each agent in turn on {@code --max-concurrency} threads ({@link Evaluator}), grades replies
 * with the judge, and writes one results file per agent ({@code --out DIR}: {@code
 * results-<agent>.json}, {@code table.txt}) and prints the agents side by side.
 *
 * <p>Failures: bad flags or an unreadable dataset are input errors (exit 2) naming the flag or
 * file; a provider error on a conversation is that conversation's failure, recorded in the
 * results, and the run goes on (exit 0, with a count on stderr); an agent that failed on every
 * conversation (a wrong key, an unknown model) makes the exit code 1, results still written.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Plays each conversation to one or more agents turn by turn, executes their"
        + " tool calls in the sandbox and scores tool-call exact match, final database state,"
        + " end-to-end success and (with --judge) an LLM judge's grades of every reply, per"
        + " task, chain, outcome and overall. Agents: mock, openai:MODEL, anthropic:MODEL,"
        + " gemini:MODEL, vertex:MODEL, anthropic-vertex:MODEL. Keys: OPENAI_API_KEY,"
        + " ANTHROPIC_API_KEY, GEMINI_API_KEY from the environment or .env; Vertex AI uses"
        + " Application Default Credentials.")
public final class EvalCommand implements Callable<Integer> {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Option(names = "--agent", required = true, paramLabel = "mock|PROVIDER:MODEL",
      description = "An agent to evaluate; repeat for several (one results file each).")
  List<String> agents = new ArrayList<>();

  @Option(names = "--judge", paramLabel = "PROVIDER:MODEL",
      description = "Grade every agent reply with this model (correct, faithful, complete).")
  String judge;

  @Option(names = "--sample", paramLabel = "N",
      description = "Play a deterministic sample of N conversations, stratified (--stratify).")
  Integer sample;

  @Option(names = "--seed", description = "Seed of the sample (default: the recipe's seed).")
  Long seed;

  @Option(names = "--stratify", paramLabel = "chain|task", defaultValue = "chain",
      description = "Strata of the sample (default chain; task where a conversation has none).")
  String stratify;

  @Option(names = "--limit", description = "Evaluate only the first N conversations (by id).")
  Integer limit;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Write results-<agent>.json and table.txt here.")
  Path out;

  @Option(names = "--overwrite", description = "Replace the files of an existing --out.")
  boolean overwrite;

  @Option(names = "--base-url", paramLabel = "[PROVIDER=]URL",
      description = "Endpoint of a provider (a bare URL is OpenAI-compatible); repeatable.")
  List<String> baseUrls = new ArrayList<>();

  @Option(names = "--max-rpm", description = "Requests per minute, whole command (llm.max_rpm).")
  Double maxRpm;

  @Option(names = "--max-tpm", description = "Tokens per minute, whole command (llm.max_tpm).")
  Double maxTpm;

  @Option(names = "--max-concurrency",
      description = "Conversations (and calls) in flight (llm.max_concurrency; default 8).")
  Integer maxConcurrency;

  @Option(names = "--cache", paramLabel = "DIR",
      description = "LLM response cache (llm.cache; default .convoforge/cache; 'off').")
  String cache;

  @Option(names = "--set", paramLabel = "llm.key=value",
      description = "Another LLM setting (llm.project, llm.location, llm.max_attempts, ...).")
  List<String> sets = new ArrayList<>();

  @Option(names = "--recipe", description = "Recipe file (default: the one in DIR/report.json).")
  Path recipe;

  @Option(names = "--json", description = "Print the agents' summaries as one JSON document.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    Inputs inputs = DatasetDir.inputs(dir, recipe, List.of());
    List<Conversation> all = read(dir);
    List<Conversation> convs = all;
    if (limit != null && limit < convs.size()) {
      convs = convs.subList(0, limit);
    }
    Map<String, Object> sampled = null;
    if (sample != null) {
      if (sample < 1) {
        throw new InputException("--sample " + sample, null, "expected a positive count");
      }
      if (!Sampler.BY.contains(stratify)) {
        throw new InputException("--stratify " + stratify, null, "expected one of " + Sampler.BY);
      }
      long s = seed != null ? seed : inputs.recipe().seed();
      convs = Sampler.sample(convs, sample, s, stratify);
      sampled = new LinkedHashMap<>();
      sampled.put("size", convs.size());
      sampled.put("of", all.size());
      sampled.put("seed", s);
      sampled.put("stratified_by", stratify);
    }
    Map<String, Object> llm = llmSettings();
    Map<String, String> urls = baseUrls();
    checkOut();
    TablesSchema schema = ToolUseRun.of(inputs).schema();
    String runId = "eval";
    List<Agent> opened = new ArrayList<>();
    ReplyJudge grader = null;
    List<Map<String, Object>> reports = new ArrayList<>();
    long failed = 0;
    List<String> dead = new ArrayList<>();
    try {
      for (String a : agents) {
        opened.add(Agents.agent(a, llm, urls, Tools.derive(schema).values(), runId));
      }
      if (judge != null) {
        grader = Agents.judge(judge, llm, urls, (String) llm.get("prompts"), runId);
      }
      Evaluator evaluator = new Evaluator(schema);
      int threads = maxConcurrency != null ? Math.max(1, maxConcurrency) : 8;
      for (Agent a : opened) {
        LlmAccounting.Tally agentTally = new LlmAccounting.Tally();
        LlmAccounting.Tally judgeTally = new LlmAccounting.Tally();
        List<Evaluator.Score> scores = evaluator.play(convs, a, grader, threads, agentTally,
            judgeTally);
        long errors = scores.stream().filter(s -> s.error() != null).count();
        failed += errors;
        if (errors > 0 && errors == scores.size()) {
          dead.add(a.name() + " failed on all " + errors + " conversations (first: "
              + scores.get(0).error() + ")");
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("dir", dir.toString());
        dataset.put("conversations", all.size());
        dataset.put("ids_digest", IdsDigest.of(all.stream().map(Conversation::id).toList()));
        extra.put("dataset", dataset);
        extra.put("sample", sampled);
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("agent", agentTally.totals());
        if (grader != null) {
          cost.put("judge", judgeTally.totals());
        }
        extra.put("cost", cost);
        Map<String, Object> results = EvalReport.results(a.name(), judge, scores, extra);
        if (out != null) {
          write(out.resolve("results-" + slug(a.name()) + ".json"),
              Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        }
        results.remove("conversations");
        reports.add(results);
      }
    } finally {
      for (Agent a : opened) {
        a.close();
      }
      if (grader != null) {
        grader.close();
      }
    }
    String table = EvalReport.table(reports);
    if (out != null) {
      write(out.resolve("table.txt"), table);
    }
    if (json) {
      System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(
          Map.of("agents", reports)));
    } else {
      System.out.printf("%d conversations%s%n", convs.size(), sampled == null ? ""
          : " (sample of " + all.size() + ", seed " + sampled.get("seed") + ", by " + stratify
              + ")");
      System.out.print(table);
      if (out != null) {
        System.out.println("results in " + out);
      }
    }
    if (failed > 0) {
      System.err.printf("%d conversation plays failed with an error (see \"errors\" in the"
          + " results)%n", failed);
    }
    if (!dead.isEmpty()) {
      // One failed conversation is a score; an agent that never answered is a broken setup.
      System.err.println("error: " + String.join("; ", dead));
      return 1;
    }
    return 0;
  }

  /** Every conversation of the dataset, sorted by id; a bad line is an input error. */
  static List<Conversation> read(Path dir) throws IOException {
    List<Conversation> convs = new ArrayList<>();
    for (Path f : DatasetDir.conversationFiles(dir)) {
      int n = 0;
      for (String line : Files.readAllLines(f)) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          convs.add(Json.read(line, Conversation.class));
        } catch (RuntimeException e) {
          throw new InputException(f.toString(), "line " + n,
              "not a tool-use conversation record: " + e.getMessage());
        }
      }
    }
    convs.sort((a, b) -> a.id().compareTo(b.id()));
    return convs;
  }

  private Map<String, Object> llmSettings() {
    Map<String, Object> llm = new LinkedHashMap<>();
    for (String s : sets) {
      int eq = s.indexOf('=');
      if (!s.startsWith("llm.") || eq < 5) {
        throw new InputException("--set " + s, null, "expected llm.key=value (an LLM setting"
            + " of docs/llm-backends.md, e.g. llm.project=my-project)");
      }
      Object v;
      try {
        v = YAML.readValue(s.substring(eq + 1), Object.class);
      } catch (IOException e) {
        v = s.substring(eq + 1);
      }
      llm.put(s.substring(4, eq), v);
    }
    if (maxRpm != null) {
      llm.put("max_rpm", maxRpm);
    }
    if (maxTpm != null) {
      llm.put("max_tpm", maxTpm);
    }
    if (maxConcurrency != null) {
      if (maxConcurrency < 1) {
        throw new InputException("--max-concurrency " + maxConcurrency, null,
            "expected at least 1");
      }
      llm.put("max_concurrency", maxConcurrency);
    }
    if (cache != null) {
      llm.put("cache", cache);
    }
    return llm;
  }

  private Map<String, String> baseUrls() {
    Map<String, String> urls = new LinkedHashMap<>();
    for (String u : baseUrls) {
      int eq = u.indexOf('=');
      String provider = eq > 0 ? u.substring(0, eq) : "openai";
      String url = eq > 0 ? u.substring(eq + 1) : u;
      if (!Agents.PROVIDERS.contains(provider) || !url.matches("https?://.+")) {
        throw new InputException("--base-url " + u, null, "expected URL (OpenAI-compatible) or"
            + " PROVIDER=URL with PROVIDER one of " + Agents.PROVIDERS);
      }
      urls.put(provider, url);
    }
    return urls;
  }

  private void checkOut() throws IOException {
    if (out == null) {
      return;
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new InputException("--out " + out, null, "is a file; expected a directory");
    }
    if (Files.isDirectory(out) && !overwrite) {
      try (var s = Files.list(out)) {
        if (s.findAny().isPresent()) {
          throw new InputException("--out " + out, null,
              "is not empty; pass --overwrite to replace its results");
        }
      }
    }
    Files.createDirectories(out);
  }

  /** Writes through a temporary file and a rename: a killed command leaves no half file. */
  private static void write(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** A file-name-safe form of an agent's name ({@code openai:gpt-4.1} -> openai-gpt-4.1). */
  public static String slug(String agent) {
    return agent.replaceAll("[^A-Za-z0-9._-]+", "-");
  }
}
