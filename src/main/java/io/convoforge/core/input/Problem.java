package io.convoforge.core.input;

/** One thing wrong with a user's input: the file, where in it (line or field), and what. */
public record Problem(String file, String where, String message) {
  @Override
  public String toString() {
    return where == null || where.isEmpty()
        ? file + ": " + message
        : file + ", " + where + ": " + message;
  }
}
