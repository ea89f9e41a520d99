package io.convoforge.family.scenario;

import java.io.Serializable;

/** The outcome of one transcript rule: its name, whether it passed, and what was found. */
public record Verdict(String rule, boolean passed, String detail) implements Serializable {
  static Verdict pass(String rule, String detail) {
    return new Verdict(rule, true, detail);
  }

  static Verdict fail(String rule, String detail) {
    return new Verdict(rule, false, detail);
  }
}
