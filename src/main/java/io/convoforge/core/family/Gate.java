package io.convoforge.core.family;

/**
 * One quality gate of a dataset: what was expected, what the dataset has, whether it passes.
 * A gate the recipe declares but that could not be measured from what was given ({@code
 * checked} false, e.g. a baseline gate without {@code gates --baseline}) is shown as SKIP and
 * does not fail the dataset.
 */
public record Gate(String name, String expected, String actual, boolean passed,
    boolean checked) {
  public Gate(String name, String expected, String actual, boolean passed) {
    this(name, expected, actual, passed, true);
  }

  /** A declared gate that was not measured, and why. */
  public static Gate notChecked(String name, String expected, String why) {
    return new Gate(name, expected, why, true, false);
  }
}
