package io.convoforge.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.model.Json;
import io.convoforge.pipeline.Inputs;
import io.convoforge.pipeline.RunReport;
import io.convoforge.schema.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A dataset directory given to {@code gates}, {@code repair} or {@code eval}: its conversation
 * files, and the recipe it was made with (from {@code --recipe}, else the {@code recipe_file} or
 * {@code recipe} name in its report.json, looked up as {@code pipelines/<name>.yaml}).
 */
public final class DatasetDir {
  private DatasetDir() {}

  public static List<Path> conversationFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new InputException(dir.toString(), null, "is not a directory");
    }
    List<Path> files = RunReport.files(dir, "conversations*.jsonl");
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

  /** The inputs the dataset was made with; the plan sized as the report says was sampled. */
  public static Inputs inputs(Path dir, Path recipe, List<String> overrides) {
    JsonNode report = report(dir);
    Path file = recipe;
    if (file == null && report != null && report.hasNonNull("recipe_file")
        && Files.isRegularFile(Path.of(report.get("recipe_file").asText()))) {
      file = Path.of(report.get("recipe_file").asText());
    }
    if (file == null && report != null && report.hasNonNull("recipe")) {
      Path guess = Path.of("pipelines", report.get("recipe").asText() + ".yaml");
      if (Files.isRegularFile(guess)) {
        file = guess;
      }
    }
    if (file == null) {
      throw new InputException(dir.toString(), null,
          "names no recipe I can find (no report.json with a recipe); pass --recipe FILE");
    }
    Integer count = report != null && report.path("sampled").canConvertToInt()
        && report.path("sampled").asInt() > 0 ? report.get("sampled").asInt() : null;
    return Inputs.load(file, overrides, count);
  }
}
