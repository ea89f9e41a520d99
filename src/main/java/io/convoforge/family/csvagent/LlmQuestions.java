package io.convoforge.family.csvagent;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.llm.LlmSession;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Questions a model proposes about one CSV through the {@code questions} prompt: what the
 * prompt shows (the profile of every column and the first rows), what the answer must satisfy
 * beyond its schema (1 to n questions, non-empty, no two with the same text), and the {@link
 * Question}s it becomes: {@code source: llm}, the model's difficulty, no program, SQL or answer
 * (those come from triangulation). Ids are {@code q_} + 16 hex digits of SHA-256 over
 * {@code <dataset sha256>|llm|<normalised text>}. Pure.
 */
public final class LlmQuestions {
  public static final String PROMPT = "questions";

  private LlmQuestions() {}

  /** The prompt's variables for {@code n} questions with {@code sampleRows} rows shown. */
  public static Map<String, String> vars(CsvTable t, Profile p, int n, int sampleRows) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("file", t.file());
    v.put("table", Sql.ident(t.tableName()));
    v.put("rows", String.valueOf(t.rows().size()));
    v.put("profile", profileText(p));
    v.put("sample_rows", sample(t, sampleRows));
    v.put("n", String.valueOf(n));
    return v;
  }

  /** 1..n questions with non-blank, distinct texts and hints. */
  public static LlmSession.Check check(int n) {
    return a -> {
      List<String> errors = new ArrayList<>();
      JsonNode qs = a.path("questions");
      if (qs.size() < 1 || qs.size() > n) {
        errors.add("give between 1 and " + n + " questions, got " + qs.size());
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < qs.size(); i++) {
        String text = qs.get(i).path("text").asText("");
        if (text.isBlank()) {
          errors.add("questions[" + i + "].text is empty");
        } else if (!seen.add(normalise(text))) {
          errors.add("questions[" + i + "] repeats an earlier question");
        }
      }
      return errors;
    };
  }

  /** The questions of a checked answer. */
  public static List<Question> parse(JsonNode answer, CsvTable t) {
    List<Question> out = new ArrayList<>();
    for (JsonNode q : answer.path("questions")) {
      String text = q.path("text").asText().strip();
      out.add(new Question(id(t.sha256(), text), new Question.Dataset(t.file(), t.sha256()),
          text, q.path("hint").asText(null), Difficulty.valueOf(q.path("difficulty").asText()),
          Question.LLM, null, null, null, null));
    }
    return List.copyOf(out);
  }

  public static String id(String datasetSha, String text) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((datasetSha + "|llm|"
          + normalise(text)).getBytes(StandardCharsets.UTF_8));
      return "q_" + HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String normalise(String text) {
    return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  /** One line per column: type, filled/empty, distinct, range, mean, top values. */
  static String profileText(Profile p) {
    StringBuilder sb = new StringBuilder();
    for (Profile.ColumnProfile c : p.columns()) {
      sb.append("- ").append(c.name()).append(" (").append(c.type().name().toLowerCase(
          Locale.ROOT)).append("): ").append(c.count()).append(" filled, ").append(c.nulls())
          .append(" empty, ").append(c.distinct()).append(" distinct");
      if (c.min() != null) {
        sb.append(", range ").append(c.min()).append(" to ").append(c.max());
      }
      if (c.mean() != null) {
        sb.append(", mean ").append(c.mean());
      }
      if (!c.top().isEmpty()) {
        sb.append(", top values: ").append(c.top().stream()
            .map(x -> x.value() + " (" + x.count() + ")").collect(Collectors.joining(", ")));
      }
      sb.append('\n');
    }
    return sb.toString().stripTrailing();
  }

  /** The header and the first {@code n} rows, as CSV. */
  static String sample(CsvTable t, int n) {
    StringWriter w = new StringWriter();
    try (CSVPrinter out = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
        .setRecordSeparator('\n').build())) {
      out.printRecord(t.columns());
      for (List<String> row : t.rows().subList(0, Math.min(n, t.rows().size()))) {
        List<String> cells = new ArrayList<>();
        row.forEach(c -> cells.add(c == null ? "" : c));
        out.printRecord(cells);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString().stripTrailing();
  }
}
