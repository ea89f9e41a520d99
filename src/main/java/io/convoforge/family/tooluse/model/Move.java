package io.convoforge.family.tooluse.model;

import java.util.List;

/**
 * One turn of a planned conversation: what the user does in it ({@code kind}), the plan steps
 * whose calls the assistant makes in it ({@code calls}, indexes into {@link Plan#steps}) and the
 * step the turn is about ({@code step}; for an ask, the step whose values are asked for).
 * {@code detail} is the kind's parameter (the column a user corrects, the cause a failure turn
 * acts out). The kinds and what each turn says are listed in docs/tool-use-dialogues.md.
 */
public record Move(String kind, List<Integer> calls, Integer step, String detail) {
  public Move {
    calls = calls == null ? List.of() : List.copyOf(calls);
  }

  public static Move of(String kind, Integer step, Integer... calls) {
    return new Move(kind, List.of(calls), step, null);
  }

  public Move withDetail(String d) {
    return new Move(kind, calls, step, d);
  }
}
