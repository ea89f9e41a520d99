package io.convoforge.core.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code README.md} dataset card of an {@code hf} export: a YAML header the Hub reads
 * ({@code pretty_name}, {@code license}, {@code language}, {@code task_categories}, {@code
 * size_categories}, {@code tags}, {@code configs} with the data files of each split, {@code
 * dataset_info} with the features and each split's {@code num_examples}) and a body saying how
 * the data was made (recipe, family, backend, model, run id and seed, lineage, the funnel, the
 * gates) and its caveats. Everything comes from the dataset's report.json and the export.
 */
public final class HfCard {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

  /** What the card says beyond the report: names, license, language. */
  public record Options(String prettyName, String license, String language) {}

  private HfCard() {}

  /**
   * The card text. {@code counts}: examples per split in order; {@code files}: each split's
   * file pattern in the repo ({@code data/train-*}).
   */
  public static String write(JsonNode report, ParquetSchema schema, Map<String, Long> counts,
      Map<String, String> files, Options o, List<String> caveats) {
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    String kind = report.path("kind").asText("tool-use");
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("pretty_name", o.prettyName() != null ? o.prettyName()
        : report.path("recipe").asText("convoforge dataset"));
    h.put("license", o.license());
    h.put("language", List.of(o.language()));
    h.put("task_categories", List.of("text-generation"));
    h.put("size_categories", List.of(sizeCategory(total)));
    h.put("tags", List.of("synthetic", "convoforge", kind, "conversational"));
    List<Object> dataFiles = new ArrayList<>();
    files.forEach((split, path) -> {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("split", split);
      f.put("path", path);
      dataFiles.add(f);
    });
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("config_name", "default");
    config.put("data_files", dataFiles);
    h.put("configs", List.of(config));
    List<Object> splits = new ArrayList<>();
    counts.forEach((split, n) -> {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("name", split);
      s.put("num_examples", n);
      splits.add(s);
    });
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("features", schema.hfFeatures());
    info.put("splits", splits);
    h.put("dataset_info", info);
    StringBuilder sb = new StringBuilder("---\n");
    try {
      sb.append(YAML.writeValueAsString(h).replaceAll("(?m)^(\\s*num_examples: )\"(\\d+)\"",
          "$1$2"));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    sb.append("---\n\n");
    body(sb, report, counts, kind, caveats, h.get("pretty_name").toString());
    return sb.toString();
  }

  private static void body(StringBuilder sb, JsonNode report, Map<String, Long> counts,
      String kind, List<String> caveats, String name) {
    sb.append("# ").append(md(name)).append("\n\n");
    sb.append("Synthetic multi-turn conversations (").append(kind).append(") made by convoforge,"
        + " every one checked by its judge and the run's gates before it was written.\n\n");
    sb.append("| Split | Examples |\n|---|---|\n");
    counts.forEach((s, n) -> sb.append("| ").append(s).append(" | ").append(n).append(" |\n"));
    sb.append("\n## How it was made\n\n");
    row(sb, "Recipe", report.path("recipe").asText("?"));
    row(sb, "Family (kind)", kind);
    row(sb, "Backend", report.path("backend").asText("?"));
    String model = report.path("model").asText("");
    row(sb, "Model", model.isEmpty() ? "none (offline: deterministic code, no LLM)" : model);
    row(sb, "Run id", report.path("run_id").asText("?"));
    row(sb, "Seed", report.path("seed").asText("?"));
    row(sb, "Stages", String.join(" → ", texts(report.path("stages"))));
    row(sb, "Sampled / accepted / rejected", report.path("sampled").asText("?") + " / "
        + report.path("accepted").asText("?") + " / " + report.path("rejected_total").asText("?"));
    sb.append("\nEvery example's `lineage` column records the run id, seed, backend, recipe and"
        + " stages it came from; the split of an example is a hash of its sibling group, so"
        + " conversations sharing a source stay in one split.\n\n## Funnel\n\n"
        + "| Stage | In | Out | Rejected (reasons) |\n|---|---|---|---|\n");
    for (JsonNode e : report.path("funnel")) {
      List<String> reasons = new ArrayList<>();
      e.path("rejected").fields().forEachRemaining(r -> reasons.add(r.getKey() + " "
          + r.getValue().asText()));
      sb.append("| ").append(md(e.path("stage").asText())).append(" | ")
          .append(e.path("in").asLong() + e.path("created").asLong()).append(" | ")
          .append(e.path("out").asText()).append(" | ").append(e.path("rejected_total").asText())
          .append(reasons.isEmpty() ? "" : " (" + md(String.join(", ", reasons)) + ")")
          .append(" |\n");
    }
    JsonNode gates = report.path("gates");
    if (gates.has("gates")) {
      sb.append("\n## Gates (").append(gates.path("passed").asBoolean() ? "all passed"
          : "FAILED: " + String.join(", ", texts(gates.path("failed")))).append(")\n\n"
          + "| Gate | Expected | Actual | Result |\n|---|---|---|---|\n");
      Iterator<Map.Entry<String, JsonNode>> it = gates.path("gates").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> g = it.next();
        sb.append("| ").append(md(g.getKey())).append(" | ")
            .append(md(g.getValue().path("expected").asText())).append(" | ")
            .append(md(g.getValue().path("actual").asText())).append(" | ")
            .append(g.getValue().path("passed").asBoolean() ? "pass" : "FAIL").append(" |\n");
      }
    }
    sb.append("\n## Caveats\n\n");
    List<String> all = new ArrayList<>();
    all.add("The data is synthetic: made by a program" + (report.path("backend").asText()
        .equals("offline") ? " from templates and rules" : " and a language model")
        + ", judged by rules" + (report.path("backend").asText().equals("offline") ? "" : " and"
        + " a model rubric") + "; it is no sample of real users.");
    all.add("It is deterministic in the run seed (" + report.path("seed").asText("?") + "): the"
        + " same recipe, inputs and seed give the same examples.");
    all.addAll(caveats);
    for (String c : all) {
      sb.append("- ").append(md(c)).append('\n');
    }
  }

  /** The Hub's size category of {@code n} examples. */
  static String sizeCategory(long n) {
    String[] names = {"n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M", "10M<n<100M"};
    long bound = 1000;
    for (String c : names) {
      if (n < bound) {
        return c;
      }
      bound *= 10;
    }
    return "n>100M";
  }

  private static void row(StringBuilder sb, String k, String v) {
    sb.append("- **").append(k).append("**: ").append(md(v)).append('\n');
  }

  private static List<String> texts(JsonNode arr) {
    List<String> out = new ArrayList<>();
    arr.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Dataset text in Markdown: no HTML, no table breaks. */
  static String md(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
        .replace("\n", " ");
  }
}
