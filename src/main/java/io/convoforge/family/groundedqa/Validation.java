package io.convoforge.family.groundedqa;

import java.util.List;

/**
 * The outcome of {@link Grounding#validate}: {@code reasons} are stable codes (see the constants
 * of {@link Grounding}), {@code detail} names the offending values in words.
 */
public record Validation(boolean passed, List<String> reasons, String detail) {
  public Validation {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    detail = detail == null ? "" : detail;
  }
}
