package io.convoforge.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.family.Families;
import io.convoforge.core.family.RecipeFamily;
import io.convoforge.core.input.InputException;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.Record;
import io.convoforge.core.model.RecordCodec;
import io.convoforge.core.model.Rejected;
import io.convoforge.core.recipe.Recipe;
import io.convoforge.core.recipe.RecipeLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * A dataset directory written by a run: its accepted records (read back through the family's
 * codec), its rejections, its report, and the recipe it was made with (from {@code --recipe},
 * else the {@code recipe_file} or {@code recipe} name in its report.json, looked up as {@code
 * pipelines/<name>.yaml}). Records are streamed, never held all at once.
 */
public final class DatasetDir {
  /** The accepted records' files. */
  public static final String ACCEPTED = "conversations*.jsonl";
  /** The rejected records' files. */
  public static final String REJECTED = "rejected*.jsonl";

  private DatasetDir() {}

  /** The accepted records' files of a dataset; none is an input error. */
  public static List<Path> conversationFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new InputException(dir.toString(), null, "is not a directory");
    }
    List<Path> files = files(dir, ACCEPTED);
    if (files.isEmpty()) {
      throw new InputException(dir.toString(), null,
          "holds no conversations*.jsonl files; expected a dataset written by 'convoforge run'");
    }
    return files;
  }

  /** The report.json of the dataset, or null. */
  public static JsonNode report(Path dir) {
    Path f = dir.resolve("report.json");
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(Files.readString(f));
    } catch (IOException e) {
      throw new InputException(f.toString(), null, "is not valid JSON: " + e.getMessage());
    }
  }

  /** The family of a dataset: its report's {@code kind} (tool-use for older datasets). */
  public static RecipeFamily family(Path dir) {
    JsonNode report = report(dir);
    String kind = report == null ? RecipeLoader.DEFAULT_KIND
        : report.path("kind").asText(RecipeLoader.DEFAULT_KIND);
    return Families.of(kind, dir.resolve("report.json").toString());
  }

  /** The inputs the dataset was made with; the plan sized as the report says was sampled. */
  public static Inputs inputs(Path dir, Path recipe, List<String> overrides) {
    JsonNode report = report(dir);
    Path file = recipeFile(dir, recipe);
    if (file == null) {
      throw new InputException(dir.toString(), null,
          "names no recipe I can find (no report.json with a recipe); pass --recipe FILE");
    }
    Integer count = report != null && report.path("sampled").canConvertToInt()
        && report.path("sampled").asInt() > 0 ? report.get("sampled").asInt() : null;
    return Inputs.load(file, overrides, count);
  }

  /**
   * The recipe the dataset was made with (loaded and checked, its inputs not read), or null
   * when none can be found: {@code recipe} when given, else the one its report names.
   */
  public static Recipe recipe(Path dir, Path recipe, List<String> overrides) {
    Path file = recipeFile(dir, recipe);
    return file == null ? null : RecipeLoader.load(file, overrides, Families::of);
  }

  /**
   * {@code explicit} when given; else the report's {@code recipe_file} when it exists, else
   * {@code pipelines/<recipe>.yaml} when it exists; else null.
   */
  static Path recipeFile(Path dir, Path explicit) {
    if (explicit != null) {
      return explicit;
    }
    JsonNode report = report(dir);
    if (report != null && report.hasNonNull("recipe_file")
        && Files.isRegularFile(Path.of(report.get("recipe_file").asText()))) {
      return Path.of(report.get("recipe_file").asText());
    }
    if (report != null && report.hasNonNull("recipe")) {
      Path guess = Path.of("pipelines", report.get("recipe").asText() + ".yaml");
      if (Files.isRegularFile(guess)) {
        return guess;
      }
    }
    return null;
  }

  /** The accepted records of {@code dir}, streamed; lines that are no record are skipped. */
  public static Records records(Path dir, RecordCodec codec) {
    return new Records(files(dir, ACCEPTED), codec);
  }

  /** The rejected records of {@code dir}, streamed. */
  public static Iterable<Rejected> rejected(Path dir) {
    List<Path> files = files(dir, REJECTED);
    return () -> new LineIterator<>(files, line -> Json.read(line, Rejected.class));
  }

  /**
   * Accepted records read through a family's codec; {@link #invalid()} counts the lines of the
   * last full pass that were not records of the format (unparseable JSON, missing fields).
   */
  public static final class Records implements Iterable<Record<?>> {
    private final List<Path> files;
    private final RecordCodec codec;
    private long invalid;

    Records(List<Path> files, RecordCodec codec) {
      this.files = files;
      this.codec = codec;
    }

    public long invalid() {
      return invalid;
    }

    @Override
    public Iterator<Record<?>> iterator() {
      invalid = 0;
      return new LineIterator<>(files, line -> {
        try {
          return codec.parse(Json.parse(line));
        } catch (RuntimeException e) {
          invalid++;
          return null;
        }
      });
    }
  }

  /** Every non-blank line of the files, mapped; a null mapping is skipped. */
  private static final class LineIterator<T> implements Iterator<T> {
    private final Iterator<Path> files;
    private final java.util.function.Function<String, T> map;
    private BufferedReader reader;
    private T next;

    LineIterator(List<Path> files, java.util.function.Function<String, T> map) {
      this.files = files.iterator();
      this.map = map;
    }

    @Override
    public boolean hasNext() {
      try {
        while (next == null) {
          if (reader == null) {
            if (!files.hasNext()) {
              return false;
            }
            reader = Files.newBufferedReader(files.next(), StandardCharsets.UTF_8);
          }
          String line = reader.readLine();
          if (line == null) {
            reader.close();
            reader = null;
          } else if (!line.isBlank()) {
            next = map.apply(line);
          }
        }
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      T t = next;
      next = null;
      return t;
    }
  }

  /** The files of {@code dir} matching {@code glob}, sorted. */
  public static List<Path> files(Path dir, String glob) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
      ds.forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(null);
    return out;
  }

  /** Every non-blank line of a file. */
  public static void lines(Path f, Consumer<String> each) {
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          each.accept(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
