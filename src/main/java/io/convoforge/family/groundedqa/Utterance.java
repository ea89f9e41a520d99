package io.convoforge.family.groundedqa;

import java.util.Objects;

/** One message of a dialogue: {@code role} is {@code user} or {@code assistant}. */
public record Utterance(String role, String text) {
  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";

  public Utterance {
    Objects.requireNonNull(role, "role");
    text = text == null ? "" : text;
  }

  public static Utterance user(String text) {
    return new Utterance(USER, text);
  }

  public static Utterance assistant(String text) {
    return new Utterance(ASSISTANT, text);
  }
}
