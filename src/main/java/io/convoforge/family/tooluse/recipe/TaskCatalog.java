package io.convoforge.family.tooluse.recipe;

import io.convoforge.core.input.InputException;
import io.convoforge.core.input.InputFiles;
import io.convoforge.core.input.Problem;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The tasks CSV: header {@code task_id,name,description,workflow,weight}; {@code workflow} is tool
 * names joined by {@code >}; weights are non-negative numbers, normalised here. Every problem
 * names the file, the line and the column.
 */
public final class TaskCatalog {
  public static final List<String> COLUMNS =
      List.of("task_id", "name", "description", "workflow", "weight");

  private TaskCatalog() {}

  public static Map<String, Task> load(Path path, Set<String> knownTools) {
    return parse(path.toString(), InputFiles.read(path), knownTools);
  }

  public static Map<String, Task> parse(String file, String text, Set<String> knownTools) {
    if (text.isBlank()) {
      throw new InputException(file, null,
          "the file is empty; expected a CSV with header " + String.join(",", COLUMNS));
    }
    List<Problem> problems = new ArrayList<>();
    Map<String, Task> raw = new LinkedHashMap<>();
    double total = 0;
    CSVFormat format =
        CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
            .setIgnoreEmptyLines(true).build();
    try (Reader r = new StringReader(text); CSVParser csv = CSVParser.parse(r, format)) {
      List<String> header = csv.getHeaderNames();
      for (String col : COLUMNS) {
        if (!header.contains(col)) {
          problems.add(new Problem(file, "line 1 (header)", "missing column '" + col
              + "'; expected the columns " + String.join(",", COLUMNS) + ", got " + header));
        }
      }
      if (!problems.isEmpty()) {
        throw new InputException(problems);
      }
      for (CSVRecord rec : csv) {
        long line = rec.getParser().getCurrentLineNumber();
        String at = "line " + line;
        if (!rec.isConsistent()) {
          problems.add(new Problem(file, at, "has " + rec.size() + " fields; expected "
              + header.size()));
          continue;
        }
        String id = rec.get("task_id");
        if (id.isEmpty()) {
          problems.add(new Problem(file, at + ", column 'task_id'", "is empty"));
          continue;
        }
        if (raw.containsKey(id)) {
          problems.add(new Problem(file, at + ", column 'task_id'", "duplicate task id '" + id
              + "'"));
        }
        String weightText = rec.get("weight");
        double weight;
        try {
          weight = Double.parseDouble(weightText);
        } catch (NumberFormatException e) {
          problems.add(new Problem(file, at + ", column 'weight'",
              "expected a non-negative number, got '" + weightText + "'"));
          continue;
        }
        if (!(weight >= 0) || Double.isInfinite(weight)) {
          problems.add(new Problem(file, at + ", column 'weight'",
              "expected a non-negative number, got " + weightText));
          continue;
        }
        List<String> workflow = new ArrayList<>();
        for (String tool : rec.get("workflow").split(">")) {
          String t = tool.trim();
          if (t.isEmpty()) {
            problems.add(new Problem(file, at + ", column 'workflow'",
                "has an empty tool name; expected tool names joined by '>'"));
          } else if (!knownTools.contains(t)) {
            problems.add(new Problem(file, at + ", column 'workflow'", "unknown tool '" + t
                + "'" + suggest(t, knownTools) + "; tools come from the tables schema"));
          }
          workflow.add(t);
        }
        total += weight;
        raw.put(id, new Task(id, rec.get("name"), rec.get("description"), List.copyOf(workflow),
            weight));
      }
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      throw new InputException(file, null, "not a readable CSV: " + e.getMessage());
    }
    if (problems.isEmpty() && raw.isEmpty()) {
      problems.add(new Problem(file, null, "has a header but no tasks"));
    }
    if (problems.isEmpty() && total <= 0) {
      problems.add(new Problem(file, "column 'weight'", "all weights are 0; at least one must be"
          + " positive"));
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    Map<String, Task> out = new LinkedHashMap<>();
    for (Task t : raw.values()) {
      out.put(t.id(), new Task(t.id(), t.name(), t.description(), t.workflow(),
          t.weight() / total));
    }
    return out;
  }

  private static String suggest(String name, Set<String> known) {
    String best = null;
    int bestDistance = 4;
    for (String k : known) {
      int d = distance(name, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    Arrays.fill(cur, 0);
    return prev[b.length()];
  }
}
