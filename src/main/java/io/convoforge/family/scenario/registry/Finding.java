package io.convoforge.family.scenario.registry;

/** One thing an audit found wrong: where (a file, or a registry row) and what. */
public record Finding(String where, String problem) {
  @Override
  public String toString() {
    return where + ": " + problem;
  }
}
