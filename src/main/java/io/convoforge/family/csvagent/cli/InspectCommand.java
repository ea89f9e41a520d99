package io.convoforge.family.csvagent.cli;

import io.convoforge.core.input.InputException;
import io.convoforge.core.model.Record;
import io.convoforge.family.csvagent.Answers;
import io.convoforge.family.csvagent.CsvItem;
import io.convoforge.family.csvagent.Question;
import io.convoforge.family.csvagent.Rejection;
import io.convoforge.family.csvagent.Verification;
import io.convoforge.family.csvagent.stages.TriangulateEpisodes;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code convoforge inspect questions|episodes|trace}: a readable view of a csv-agent dataset
 * directory. {@code questions DIR [--show-hint]}: every question, its difficulty, source and
 * answer. {@code episodes DIR [--verified]}: each triangulated question, verified (the accepted
 * episodes) and, unless {@code --verified}, unverified, with agreement and observed difficulty.
 * {@code trace DIR ID}: one episode or trace in full ({@link TraceView}).
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Shows a csv-agent dataset: its questions, its episodes, or one trace in full.",
    subcommands = {InspectCommand.Questions.class, InspectCommand.Episodes.class,
        InspectCommand.Trace.class})
public final class InspectCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    new picocli.CommandLine(this).usage(System.out);
    return 0;
  }

  /** {@code inspect questions DIR [--show-hint]}. */
  @Command(name = "questions", mixinStandardHelpOptions = true,
      description = "Lists the questions of DIR (its questions*.jsonl) or of one questions file.")
  static final class Questions implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR")
    Path dir;

    @Option(names = "--show-hint", description = "Also print each question's hint.")
    boolean showHint;

    @Override
    public Integer call() {
      print(DatasetFilesReader.questions(dir), showHint, System.out);
      return 0;
    }

    static void print(List<Question> qs, boolean hint, PrintStream out) {
      long synthetic = qs.stream().filter(Question::synthetic).count();
      for (Question q : qs) {
        out.printf("%s [%s] %s · %s%n  %s%n", q.id(), q.difficulty(), q.dataset().file(),
            q.template() == null ? q.source() : q.source() + "/" + q.template(), q.text());
        if (q.answer() != null) {
          out.println("  answer: " + Answers.format(q.answer()));
        }
        if (hint && q.hint() != null) {
          out.println("  hint: " + q.hint());
        }
      }
      out.printf("%d questions (%d synthetic, %d llm)%n", qs.size(), synthetic,
          qs.size() - synthetic);
    }
  }

  /** {@code inspect episodes DIR [--verified]}. */
  @Command(name = "episodes", mixinStandardHelpOptions = true,
      description = "Lists the triangulated questions of DIR: the accepted (verified) episodes"
          + " and, unless --verified, the questions triangulation did not verify.")
  static final class Episodes implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR")
    Path dir;

    @Option(names = "--verified", description = "Only the verified (accepted) episodes.")
    boolean verifiedOnly;

    @Override
    public Integer call() {
      PrintStream out = System.out;
      List<Record<CsvItem>> accepted = DatasetFilesReader.episodes(dir);
      for (Record<CsvItem> r : accepted) {
        line(r.id(), r.payload(), "accepted", out);
      }
      int unverified = 0;
      if (!verifiedOnly) {
        Set<String> seen = new HashSet<>();
        for (DatasetFilesReader.RejectedItem x : DatasetFilesReader.rejected(dir)) {
          CsvItem p = x.record().payload();
          if (TriangulateEpisodes.STAGE.equals(x.stage())
              && Rejection.UNVERIFIED.equals(x.reason()) && seen.add(p.question().id())) {
            line(p.question().id(), p, "unverified", out);
            unverified++;
          }
        }
      }
      out.printf("%d verified episodes%s%n", accepted.size(),
          verifiedOnly ? "" : ", " + unverified + " unverified questions");
      return 0;
    }

    private static void line(String id, CsvItem p, String what, PrintStream out) {
      Verification v = p.verification();
      Question q = p.question();
      out.printf(Locale.ROOT, "%s [%s %d/%d, %s -> %s] %s, %d steps, answer %s%n  %s%n", id,
          what, v == null ? 0 : Math.round(v.agreement() * v.n()), v == null ? 0 : v.n(),
          q.difficulty(), v == null ? "?" : v.observedDifficulty(), q.dataset().file(),
          p.trace() == null ? 0 : p.trace().size(),
          v == null || v.majority() == null ? "-" : Answers.format(v.majority()), q.text());
    }
  }

  /** {@code inspect trace DIR ID}. */
  @Command(name = "trace", mixinStandardHelpOptions = true,
      description = "Shows one episode in full: the question, every SQL step and its result,"
          + " the n answers and the verdict. ID: a question id (its accepted episode, or its"
          + " first trace when it was not verified) or a trace id (q_...#3).")
  static final class Trace implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR")
    Path dir;

    @Parameters(index = "1", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      for (Record<CsvItem> r : DatasetFilesReader.episodes(dir)) {
        if (r.id().equals(id)) {
          TraceView.print(r, "accepted", null, System.out);
          return 0;
        }
      }
      DatasetFilesReader.RejectedItem first = null;
      for (DatasetFilesReader.RejectedItem x : DatasetFilesReader.rejected(dir)) {
        String qid = x.record().payload().question().id();
        if (x.record().id().equals(id)) {
          first = x;
          break;
        }
        if (first == null && qid.equals(id) && x.record().payload().solved()) {
          first = x;
        }
      }
      if (first == null) {
        throw new InputException(dir.toString(), null, "holds no episode or trace with id '"
            + id + "'; see 'convoforge inspect episodes " + dir + "'");
      }
      TraceView.print(first.record(), "rejected at " + first.stage() + ": " + first.reason(),
          first.detail(), System.out);
      return 0;
    }
  }
}
