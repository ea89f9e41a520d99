package io.convoforge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convoforge.core.model.Json;
import io.convoforge.core.run.DatasetDir;
import io.convoforge.core.run.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Small real datasets made by the offline pipeline, for the view and export tests: CRM
 * tool-use (weighted tasks, or the chain table), grounded Q&A; and one with XSS payloads
 * planted in its text, ids and rejections.
 */
public final class SmallDatasets {
  public static final String GENERATION = "stages=[sample, plan, args, utterances, judge, filter]";
  /** Markup that must show as text: each would set window.__xss if it ever ran. */
  public static final String SCRIPT = "<script>window.__xss='script'</script>";
  public static final String IMG = "<img src=x onerror=\"window.__xss='img'\">";
  public static final String LINK = "<a href=\"javascript:window.__xss='link'\">click</a>";
  public static final String CLOSE = "</script><script>window.__xss='close'</script><!--";
  public static final String PAYLOAD = SCRIPT + " " + IMG + " " + LINK + " " + CLOSE;
  public static final String XSS_ID = "xss-<b>0001</b>";

  private SmallDatasets() {}

  private static final Map<String, Path> MADE = new ConcurrentHashMap<>();

  /**
   * A CRM tool-use dataset of {@code count} conversations (generation stages only), made once
   * per test JVM and shared: copy it ({@link #copy}) before changing it.
   */
  public static Path toolUse(int count) {
    return made("crm-tool-use-" + count, out -> Job.run(new Job.Request(
        Path.of("pipelines/crm-tool-use.yaml"), List.of(GENERATION), count, out, true,
        List.of())));
  }

  /** A shared CRM dataset from the chain table (slices carry chains). */
  public static Path chains(int count) {
    return made("crm-chains-" + count, out -> Job.run(new Job.Request(
        Path.of("pipelines/crm-chains-1000.yaml"), List.of(GENERATION), count, out, true,
        List.of())));
  }

  /** A shared grounded Q&A dataset from the first {@code chunks} chunks of the shipped facts. */
  public static Path groundedQa(int chunks) {
    return made("grounded-qa-" + chunks, out -> Job.run(new Job.Request(
        Path.of("pipelines/grounded-qa.yaml"), List.of(
            "stages=[chunk, extract_qa, validate_qa, converse, judge, filter]",
            "max_chunks=" + chunks), null, out, true, List.of())));
  }

  private static synchronized Path made(String name, Consumer<Path> make) {
    return MADE.computeIfAbsent(name, n -> {
      Path out = Path.of(System.getProperty("java.io.tmpdir"), "small-datasets-"
          + ProcessHandle.current().pid(), n);
      make.accept(out);
      return out;
    });
  }

  /** A copy of a dataset directory (its files, not subdirectories). */
  public static Path copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
    return to;
  }

  /**
   * Plants payloads in a tool-use dataset: the first conversation gets the id {@link #XSS_ID},
   * the payload as its first user message and a call argument, and a rejected record with the
   * payload as its reason and detail is added.
   */
  public static void plantXss(Path dir) throws IOException {
    Path first = DatasetDir.conversationFiles(dir).get(0);
    List<String> lines = new ArrayList<>(Files.readAllLines(first));
    ObjectNode c = (ObjectNode) Json.parse(lines.get(0));
    c.put("id", XSS_ID);
    ((ObjectNode) c.get("turns").get(0)).put("user", PAYLOAD);
    for (JsonNode t : c.get("turns")) {
      if (t.get("expected_tool_calls").size() > 0) {
        ObjectNode args = (ObjectNode) t.get("expected_tool_calls").get(0).get("arguments");
        args.put(args.fieldNames().next(), IMG);
        break;
      }
    }
    lines.set(0, Json.write(c));
    Files.write(first, lines);
    ObjectNode element = Json.MAPPER.createObjectNode();
    element.put("id", "rejected-xss");
    element.putArray("messages").addObject().put("role", "user").put("text", PAYLOAD);
    ObjectNode rej = Json.MAPPER.createObjectNode();
    rej.put("id", "rejected-xss");
    rej.putObject("slice").put("task", IMG);
    rej.put("stage", "filter");
    rej.put("reason", "judge_failed:" + IMG);
    rej.put("detail", PAYLOAD);
    rej.set("element", element);
    Files.writeString(dir.resolve("rejected-xss.jsonl"), Json.write(rej) + "\n");
  }
}
