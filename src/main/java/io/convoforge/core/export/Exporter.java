package io.convoforge.core.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.family.ExportProfile;
import io.convoforge.core.family.RecipeFamily;
import io.convoforge.core.input.InputException;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.core.run.DatasetDir;
import io.convoforge.core.run.OutputDir;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code convoforge export}: a dataset's accepted records as training files, all or nothing.
 * One pass reads every record once: its sibling and slice keys ({@link Splits.Grouping}) and
 * its example ({@link Chat#of} with the family's {@link ExportProfile}), checked in the target
 * format ({@link OpenAiFormat#validate}, {@link ShareGptFormat#line}) and staged; once every
 * group is known, the staged examples are routed to their splits' files. Every record ends in
 * exactly one split or in {@code invalid.jsonl} with
 * its reason; unless {@code allowInvalid}, any invalid record (or unreadable line) fails the
 * export ({@link InvalidExamples}) and nothing is written. {@code export.json} lists the splits
 * with their counts and estimated tokens (characters / 4), the sibling groups, the invalid
 * records by reason, and the files. Formats: {@code openai} and {@code sharegpt} write {@code
 * <split>.jsonl} (ShareGPT adds {@code dataset_info.json}); {@code parquet} writes {@code
 * <split>.parquet}; {@code hf} writes {@code data/<split>-00000-of-00001.parquet} and a dataset
 * card ({@link HfCard}).
 */
public final class Exporter {
  /** The formats. */
  public enum Format { OPENAI, SHAREGPT, PARQUET, HF }

  /** What to export, where, how. {@code recipe}: the dataset's recipe if not the report's. */
  public record Request(Path dir, Format format, Path out, String split, boolean overwrite,
      boolean allowInvalid, Path recipe, HfCard.Options card) {}

  /** What was written: the directory and the manifest (export.json). */
  public record Result(Path out, Map<String, Object> manifest) {}

  /** Records that make no valid example, when they are not allowed: nothing was written. */
  public static final class InvalidExamples extends RuntimeException {
    private final Map<String, Object> manifest;

    InvalidExamples(String message, Map<String, Object> manifest) {
      super(message);
      this.manifest = manifest;
    }

    public Map<String, Object> manifest() {
      return manifest;
    }
  }

  private Exporter() {}

  public static Result run(Request req) {
    DatasetDir.conversationFiles(req.dir());
    RecipeFamily family = DatasetDir.family(req.dir());
    List<String> notes = new ArrayList<>();
    Recipe recipe = recipe(req, notes);
    ExportProfile profile;
    try {
      profile = family.exportProfile(recipe);
    } catch (InputException e) {
      if (req.recipe() != null) {
        throw e;
      }
      notes.add("the recipe's inputs could not be read (" + e.getMessage().replace('\n', ' ')
          + "): the family falls back on the records");
      profile = family.exportProfile(null);
    }
    List<Splits.Split> splits = Splits.parse(req.split());
    DatasetDir.Records records = DatasetDir.records(req.dir(), family.codec());
    OutputDir out = OutputDir.prepare(req.out(), req.overwrite());
    try {
      Converted c = convert(req.format(), out.staging(), records, profile);
      Map<String, String> splitOf = c.grouping().assign(splits);
      Map<String, Object> manifest = write(req, out.staging(), c, splits, splitOf, profile,
          recipe);
      manifest.put("sibling_groups", c.grouping().groups());
      manifest.put("notes", notes);
      long invalid = ((Number) manifest.get("invalid_total")).longValue();
      Files.writeString(out.staging().resolve("export.json"),
          Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n");
      if (invalid > 0 && !req.allowInvalid()) {
        out.abandon();
        throw new InvalidExamples(invalid + " record(s) make no valid " + name(req.format())
            + " example: " + manifest.get("invalid") + "; first: " + manifest.get("first_invalid")
            + ". Fix the data, or pass --allow-invalid to export the rest (listed in"
            + " invalid.jsonl).", manifest);
      }
      out.commit();
      return new Result(out.target(), manifest);
    } catch (IOException e) {
      out.abandon();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      out.abandon();
      throw e;
    }
  }

  /** What the one pass over the records gave: groups, slice keys, invalid ones, the tools. */
  private record Converted(Splits.Grouping grouping, TreeSet<String> sliceKeys,
      List<String> ids, Map<String, Long> invalid, List<String> firstInvalid,
      boolean anyTools, long textDropped, long assistantFirst, long userLast) {}

  private static final String CONVERTED = ".examples.tmp";

  /**
   * The one pass over the records (parsing is the costly part): each record's sibling and
   * slice keys, and its example in the target format, checked, staged as {@code
   * tokens\tline} (the split is only known once every record's group is); a record that
   * makes none goes to invalid.jsonl with its reason. Staged lines are {@code tokens\tline},
   * in the order of {@code ids}.
   */
  private static Converted convert(Format f, Path dir, DatasetDir.Records records,
      ExportProfile profile) throws IOException {
    Splits.Grouping grouping = new Splits.Grouping();
    TreeSet<String> sliceKeys = new TreeSet<>();
    Map<String, Long> invalid = new TreeMap<>();
    List<String> firstInvalid = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    boolean anyTools = false;
    long textDropped = 0;
    long assistantFirst = 0;
    long userLast = 0;
    try (BufferedWriter staged = Files.newBufferedWriter(dir.resolve(CONVERTED));
        BufferedWriter bad = Files.newBufferedWriter(dir.resolve("invalid.jsonl"))) {
      for (Record<?> r : records) {
        grouping.add(r.id(), profile.siblingKeys(r));
        sliceKeys.addAll(r.slice().keySet());
        Object line;
        Chat chat;
        String toolsJson;
        try {
          chat = Chat.of(r, profile);
          toolsJson = chat.toolsJson();
          line = switch (f) {
            case OPENAI -> openAi(chat);
            case SHAREGPT -> ShareGptFormat.line(chat);
            default -> ParquetSchema.row(chat, toolsJson);
          };
        } catch (Chat.Invalid e) {
          invalid.merge(e.reason(), 1L, Long::sum);
          if (firstInvalid.size() < 5) {
            firstInvalid.add(r.id() + " (" + e.reason() + ")");
          }
          bad.write(Json.write(Map.of("id", r.id(), "reason", e.reason(), "detail",
              e.getMessage())));
          bad.newLine();
          continue;
        }
        anyTools |= !chat.tools().isEmpty();
        if (f == Format.SHAREGPT) {
          textDropped += ShareGptFormat.droppedText(chat);
          assistantFirst += ShareGptFormat.opensWithAssistant(chat) ? 1 : 0;
          userLast += ShareGptFormat.endsWithUser(chat) ? 1 : 0;
        }
        ids.add(r.id());
        staged.write((chat.characters(toolsJson.length()) + 3) / 4 + "\t");
        staged.write(Json.write(line));
        staged.newLine();
      }
    }
    long unreadable = records.invalid();
    if (unreadable > 0) {
      invalid.merge("unreadable_line", unreadable, Long::sum);
    }
    if (invalid.isEmpty()) {
      Files.delete(dir.resolve("invalid.jsonl"));
    }
    return new Converted(grouping, sliceKeys, ids, invalid, firstInvalid, anyTools,
        textDropped, assistantFirst, userLast);
  }

  /** Routes the staged examples to their splits' files and writes the rest of the folder. */
  private static Map<String, Object> write(Request req, Path dir, Converted c,
      List<Splits.Split> splits, Map<String, String> splitOf, ExportProfile profile,
      Recipe recipe) throws IOException {
    Format f = req.format();
    boolean parquet = f == Format.PARQUET || f == Format.HF;
    Map<String, BufferedWriter> writers = new LinkedHashMap<>();
    Map<String, long[]> stats = new LinkedHashMap<>();
    for (Splits.Split s : splits) {
      Path file = dir.resolve(parquet ? "." + s.name() + ".rows.jsonl" : s.name() + ".jsonl");
      writers.put(s.name(), Files.newBufferedWriter(file, StandardCharsets.UTF_8));
      stats.put(s.name(), new long[3]);
    }
    try {
      int[] at = {0};
      DatasetDir.lines(dir.resolve(CONVERTED), staged -> {
        int tab = staged.indexOf('\t');
        String split = splitOf.get(c.ids().get(at[0]++));
        long tokens = Long.parseLong(staged.substring(0, tab));
        String line = staged.substring(tab + 1);
        try {
          BufferedWriter w = writers.get(split);
          if (parquet) {
            // The split column, known only now: the row is a JSON object, so prepend it.
            w.write("{\"split\":" + Json.write(split) + "," + line.substring(1));
          } else {
            w.write(line);
          }
          w.newLine();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        long[] st = stats.get(split);
        st[0]++;
        st[1] += tokens;
        st[2] = Math.max(st[2], tokens);
      });
    } finally {
      for (BufferedWriter w : writers.values()) {
        w.close();
      }
    }
    Files.delete(dir.resolve(CONVERTED));
    Map<String, Long> invalid = c.invalid();
    long invalidTotal = invalid.values().stream().mapToLong(Long::longValue).sum();
    ParquetSchema schema = new ParquetSchema(List.copyOf(c.sliceKeys()));
    List<String> files = new ArrayList<>();
    Map<String, Long> counts = new LinkedHashMap<>();
    stats.forEach((s, st) -> counts.put(s, st[0]));
    Map<String, String> patterns = new LinkedHashMap<>();
    if (parquet) {
      for (Splits.Split s : splits) {
        Path rows = dir.resolve("." + s.name() + ".rows.jsonl");
        String rel = f == Format.HF ? "data/" + s.name() + "-00000-of-00001.parquet"
            : s.name() + ".parquet";
        Files.createDirectories(dir.resolve(rel).getParent());
        ParquetFiles.write(rows, schema, dir.resolve(rel));
        Files.delete(rows);
        files.add(rel);
        patterns.put(s.name(), f == Format.HF ? "data/" + s.name() + "-*" : rel);
      }
    } else {
      splits.forEach(s -> files.add(s.name() + ".jsonl"));
    }
    if (f == Format.SHAREGPT) {
      Map<String, Object> info = new LinkedHashMap<>();
      String base = datasetName(req);
      for (Splits.Split s : splits) {
        info.put(base + "_" + s.name(), ShareGptFormat.datasetInfo(s.name() + ".jsonl",
            c.anyTools()));
      }
      Files.writeString(dir.resolve("dataset_info.json"),
          Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(info) + "\n");
      files.add("dataset_info.json");
    }
    JsonNode report = DatasetDir.report(req.dir());
    if (f == Format.HF) {
      Files.writeString(dir.resolve("README.md"), HfCard.write(
          report == null ? Json.parse("{}") : report, schema, counts, patterns, req.card(),
          profile.caveats()));
      files.add("README.md");
    }
    if (invalidTotal > 0) {
      files.add("invalid.jsonl");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", name(f));
    m.put("source", req.dir().toAbsolutePath().normalize().toString());
    m.put("kind", report == null ? null : report.path("kind").asText(null));
    m.put("recipe", recipe == null ? null : recipe.name());
    m.put("run_id", report == null ? null : report.path("run_id").asText(null));
    Map<String, Object> splitInfo = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    long exported = counts.values().stream().mapToLong(Long::longValue).sum();
    for (Splits.Split s : splits) {
      long[] st = stats.get(s.name());
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("share_asked", s.share());
      x.put("examples", st[0]);
      x.put("share", exported == 0 ? 0 : Math.round(10000.0 * st[0] / exported) / 10000.0);
      x.put("est_tokens", st[1]);
      x.put("est_tokens_max_example", st[2]);
      splitInfo.put(s.name(), x);
      if (st[0] == 0 && exported > 0) {
        warnings.add("split " + s.name() + " got no examples: the sibling groups are too few or"
            + " too large for its share");
      }
    }
    m.put("splits", splitInfo);
    m.put("examples", exported);
    m.put("invalid", invalid);
    m.put("invalid_total", invalidTotal);
    m.put("first_invalid", c.firstInvalid());
    m.put("files", files);
    if (c.textDropped() > 0) {
      warnings.add(c.textDropped() + " assistant message(s) had text beside a tool call; a"
          + " ShareGPT function_call carries only the call, so that text is left out");
    }
    if (c.assistantFirst() > 0) {
      warnings.add(c.assistantFirst() + " dialogue(s) open with the assistant; ShareGPT starts"
          + " with a human turn, so an empty one was put first");
    }
    if (c.userLast() > 0) {
      warnings.add(c.userLast() + " dialogue(s) end with a user message no answer follows;"
          + " ShareGPT ends with gpt, so that message was left out");
    }
    m.put("warnings", warnings);
    return m;
  }

  /** An OpenAI line, checked against the format before it is written. */
  private static Map<String, Object> openAi(Chat chat) throws Chat.Invalid {
    Map<String, Object> line = OpenAiFormat.line(chat);
    List<String> problems = OpenAiFormat.validate(Json.tree(line));
    if (!problems.isEmpty()) {
      throw new Chat.Invalid("openai_format", String.join("; ", problems));
    }
    return line;
  }

  /**
   * The recipe: the one given (its errors are the user's), else the report's when it can be
   * loaded (otherwise a note, and the family falls back on the records).
   */
  private static Recipe recipe(Request req, List<String> notes) {
    if (req.recipe() != null) {
      return DatasetDir.recipe(req.dir(), req.recipe(), List.of());
    }
    try {
      Recipe r = DatasetDir.recipe(req.dir(), null, List.of());
      if (r == null) {
        notes.add("the dataset's recipe was not found (pass --recipe): tools are inferred from"
            + " the calls made");
      }
      return r;
    } catch (InputException e) {
      notes.add("the dataset's recipe could not be loaded (" + e.getMessage().replace('\n', ' ')
          + "): tools are inferred from the calls made");
      return null;
    }
  }

  static String datasetName(Request req) {
    JsonNode report = DatasetDir.report(req.dir());
    String n = report == null ? "convoforge" : report.path("recipe").asText("convoforge");
    return n.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
  }

  static String name(Format f) {
    return f.name().toLowerCase(Locale.ROOT);
  }
}
