package io.convoforge.family.csvagent.cli;

import io.convoforge.cli.Main;
import io.convoforge.core.input.InputException;
import io.convoforge.core.model.Json;
import io.convoforge.family.csvagent.AnswerMatch;
import io.convoforge.family.csvagent.Answers;
import io.convoforge.family.csvagent.CsvTable;
import io.convoforge.family.csvagent.Profile;
import io.convoforge.family.csvagent.Question;
import io.convoforge.family.csvagent.QuestionsFile;
import io.convoforge.family.csvagent.SqlResult;
import io.convoforge.family.csvagent.SqlSandbox;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code convoforge validate-question --csv FILE --questions-file FILE --index N [--show-code]}:
 * runs one question's stored DuckDB SQL in the sandbox over the CSV and compares the result
 * with its stored answer (absolute {@code --tolerance}, default 0.1, as triangulation does).
 * Exit 0 when they match, 1 when they do not or the SQL fails, 2 for bad input (a malformed CSV
 * or questions file, an index out of range, a question without SQL). The CSV is loaded under
 * the question's file name, so its SQL finds its table whatever the copy is called.
 */
@Command(
    name = "validate-question",
    mixinStandardHelpOptions = true,
    description = "Runs one question's SQL in the sandbox over a CSV and compares the result"
        + " with the question's stored answer.")
public final class ValidateQuestionCommand implements Callable<Integer> {
  @Option(names = "--csv", required = true, paramLabel = "FILE", description = "The CSV.")
  Path csv;

  @Option(names = "--questions-file", required = true, paramLabel = "FILE",
      description = "A questions*.jsonl file (one question a line).")
  Path questionsFile;

  @Option(names = "--index", required = true, paramLabel = "N",
      description = "The question's position in the file, from 0.")
  int index;

  @Option(names = "--show-code", description = "Also print the program, the SQL and its result.")
  boolean showCode;

  @Option(names = "--tolerance", defaultValue = "0.1",
      description = "Absolute tolerance for numbers (default 0.1).")
  double tolerance;

  @Override
  public Integer call() throws IOException {
    CsvTable loaded = CsvTable.load(csv);
    List<QuestionsFile.Line> lines = QuestionsFile.read(List.of(questionsFile));
    if (index < 0 || index >= lines.size()) {
      throw new InputException(questionsFile.toString(), "--index", "holds " + lines.size()
          + " questions; " + index + " is out of range (0.." + (lines.size() - 1) + ")");
    }
    QuestionsFile.Line line = lines.get(index);
    Question q = line.question();
    if (q.sql() == null) {
      throw new InputException(questionsFile.toString(), "line " + line.line(), "question "
          + index + " (" + q.id() + ") is an LLM question without SQL; its answer comes from"
          + " triangulation, see 'convoforge inspect trace DIR " + q.id() + "'");
    }
    PrintStream out = System.out;
    if (!loaded.sha256().equals(q.dataset().sha256())) {
      out.println("note: " + csv + " is not byte-identical to the question's dataset "
          + q.dataset().file() + "; the stored answer was computed on other data");
    }
    CsvTable table = loaded.file().equals(q.dataset().file()) ? loaded
        : CsvTable.parse(q.dataset().file(), Files.readAllBytes(csv));
    out.printf("Question %d (%s, %s): %s%n", index, q.id(), q.difficulty(), q.text());
    SqlResult r;
    try (SqlSandbox sandbox = SqlSandbox.open(table, Profile.of(table))) {
      r = sandbox.run(q.sql());
    }
    if (showCode) {
      out.println("Program: " + Json.write(q.program()));
      out.println("SQL: " + q.sql());
      out.println("Result: " + Json.write(r.observation()));
    }
    if (!r.ok()) {
      out.println("FAILED: the SQL did not run: " + r.error());
      return Main.FAILED;
    }
    String op = q.program() == null ? "" : q.program().op();
    Object computed = Answers.of(op, r);
    boolean same = new AnswerMatch(tolerance).same(computed, q.answer(), q.program() != null);
    out.printf("Stored answer: %s%nComputed:      %s%n%s%n", Answers.format(q.answer()),
        Answers.format(computed), same ? "MATCH" : "MISMATCH");
    return same ? 0 : Main.FAILED;
  }
}
