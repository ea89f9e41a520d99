package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import io.convoforge.core.input.InputException;
import io.convoforge.core.input.InputFiles;
import io.convoforge.core.input.JsonSchemas;
import io.convoforge.core.input.Problem;
import io.convoforge.core.model.Json;
import io.convoforge.core.recipe.RecipeLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Questions read back from {@code questions*.jsonl} files (one {@link Question} a line, as a
 * run writes them; {@code schemas/question.schema.json}), to build episodes from existing
 * questions or to validate one. {@link #read} checks every line against the schema and fails
 * with an {@link InputException} naming the file and line: malformed JSON, a schema violation,
 * a program the {@link Program} rules refuse, a repeated id. Lines stay JSON text so they can
 * travel inside a transform and are parsed on the worker ({@link #parse}).
 */
public final class QuestionsFile {
  private static volatile Schema schema;

  private QuestionsFile() {}

  /** One checked line: where it came from, its question and its JSON text. */
  public record Line(String file, int line, Question question, String json) {}

  public static List<Line> read(List<Path> files) {
    List<Line> out = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Path f : files) {
      String shown = RecipeLoader.display(f);
      String[] lines = InputFiles.read(f).split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        String text = lines[i].strip();
        if (text.isEmpty()) {
          continue;
        }
        String where = "line " + (i + 1);
        JsonNode node;
        try {
          node = Json.MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          problems.add(new Problem(shown, where, "malformed JSON: " + e.getOriginalMessage()));
          continue;
        }
        List<String> v = JsonSchemas.violations(schema(), node);
        if (!v.isEmpty()) {
          problems.add(new Problem(shown, where, "not a question (schemas/question.schema.json):"
              + " " + String.join("; ", v)));
          continue;
        }
        Question q;
        try {
          q = parse(text);
        } catch (RuntimeException e) {
          problems.add(new Problem(shown, where, "not a valid question: " + rootMessage(e)));
          continue;
        }
        if (!ids.add(q.id())) {
          problems.add(new Problem(shown, where, "repeats question id " + q.id()));
          continue;
        }
        out.add(new Line(shown, i + 1, q, text));
      }
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems.subList(0, Math.min(problems.size(), 20)));
    }
    return List.copyOf(out);
  }

  public static Question parse(String json) {
    return Json.read(json, Question.class);
  }

  private static Schema schema() {
    if (schema == null) {
      try (InputStream in = QuestionsFile.class.getResourceAsStream(
          "/schemas/question.schema.json")) {
        schema = JsonSchemas.compile(Json.MAPPER.readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return schema;
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null && e.getCause() != e) {
      e = e.getCause();
    }
    return e.getMessage();
  }
}
