package io.convoforge.family.groundedqa;

/** One rubric criterion's outcome; {@code detail} says why it failed (or what was checked). */
public record Verdict(boolean passed, String detail) {
  public Verdict {
    detail = detail == null ? "" : detail;
  }

  public static Verdict pass(String detail) {
    return new Verdict(true, detail);
  }

  public static Verdict fail(String detail) {
    return new Verdict(false, detail);
  }
}
