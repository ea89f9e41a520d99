package io.convoforge.core.input;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Bad user input. Its message names the file, the line or field, and what was expected; the CLI
 * prints it as is (never a stack trace) and exits non-zero.
 */
public class InputException extends RuntimeException {
  private final List<Problem> problems;

  public InputException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public InputException(String file, String where, String message) {
    this(List.of(new Problem(file, where, message)));
  }

  public List<Problem> problems() {
    return problems;
  }
}
