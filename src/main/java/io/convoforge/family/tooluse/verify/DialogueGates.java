package io.convoforge.family.tooluse.verify;

import io.convoforge.core.family.Gate;
import io.convoforge.core.run.Gates;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The gates on the dialogue metrics ({@link DialogueMetrics}), each checked only when the
 * recipe's {@code gates:} section sets its key (the shipped tool-use recipes set them all):
 *
 * <ul>
 *   <li>{@code max_filler_share} → gate {@code filler_share};
 *   <li>{@code max_adjacent_filler_turns} → {@code adjacent_filler} (recaps never two in a row);
 *   <li>{@code max_repeated_line_share} → {@code repeated_user_line} and {@code
 *       repeated_reply_line} (the assistant's), judged on at least {@link
 *       #LINE_SHARE_MIN_CONVERSATIONS} conversations (a share of a few is noise);
 *   <li>{@code min_distinct_bigram_ratio} → {@code distinct_bigrams} (at 200 conversations);
 *   <li>{@code min_tool_calls_mean} → {@code tool_calls_mean};
 *   <li>{@code min_read_call_share} → {@code read_call_share};
 *   <li>{@code failure_causes_recorded: true} → {@code causes_recorded} (every failure
 *       conversation names its cause).
 * </ul>
 *
 * <p>In: the report's {@code dialogue} section and the recipe's gates section. Out: the gates.
 */
public final class DialogueGates {
  /** Below this many conversations the repeated-line shares are not judged. */
  public static final int LINE_SHARE_MIN_CONVERSATIONS = 100;

  private DialogueGates() {}

  public static List<Gate> evaluate(Map<String, Object> m, Map<String, Object> cfg) {
    List<Gate> gates = new ArrayList<>();
    if (cfg.get("max_filler_share") instanceof Number max) {
      double v = num(m.get("filler_share"));
      gates.add(new Gate("filler_share", "<= " + Gates.pct(max.doubleValue()),
          Gates.pct(v) + " (" + m.get("filler_turns") + " of " + m.get("middle_turns") + ")",
          v <= max.doubleValue() + 1e-12));
    }
    if (cfg.get("max_adjacent_filler_turns") instanceof Number max) {
      long v = (long) num(m.get("adjacent_filler_pairs"));
      gates.add(new Gate("adjacent_filler", "<= " + max.longValue() + " pairs", v + " pairs",
          v <= max.longValue()));
    }
    if (cfg.get("max_repeated_line_share") instanceof Number max) {
      long n = (long) num(m.get("conversations"));
      for (String who : List.of("user", "assistant")) {
        Map<?, ?> line = m.get("most_repeated_" + who + "_line") instanceof Map<?, ?> l ? l
            : Map.of();
        double v = num(line.get("share"));
        String name = "repeated_" + ("user".equals(who) ? "user" : "reply") + "_line";
        if (n < LINE_SHARE_MIN_CONVERSATIONS) {
          // Two of thirty conversations sharing "Yes." is 6.7 %: too few to judge.
          gates.add(new Gate(name, "<= " + Gates.pct(max.doubleValue()), "not judged: " + n
              + " conversations (< " + LINE_SHARE_MIN_CONVERSATIONS + ")", true));
          continue;
        }
        gates.add(new Gate(name, "<= " + Gates.pct(max.doubleValue()),
            Gates.pct(v) + " (" + line.get("conversations") + " conversations)",
            v <= max.doubleValue() + 1e-12));
      }
    }
    if (cfg.get("min_distinct_bigram_ratio") instanceof Number min) {
      Map<?, ?> b = m.get("distinct_bigrams_at_200") instanceof Map<?, ?> x ? x : Map.of();
      double v = num(b.get("ratio"));
      gates.add(new Gate("distinct_bigrams", ">= " + fmt(min.doubleValue()),
          fmt(v) + " at " + b.get("conversations") + " conversations",
          v >= min.doubleValue() - 1e-12));
    }
    if (cfg.get("min_tool_calls_mean") instanceof Number min) {
      Map<?, ?> tc = m.get("tool_calls") instanceof Map<?, ?> x ? x : Map.of();
      double v = num(tc.get("mean"));
      gates.add(new Gate("tool_calls_mean", ">= " + fmt(min.doubleValue()), fmt(v),
          v >= min.doubleValue() - 1e-12));
    }
    if (cfg.get("min_read_call_share") instanceof Number min) {
      double v = num(m.get("read_call_share"));
      gates.add(new Gate("read_call_share", ">= " + Gates.pct(min.doubleValue()), Gates.pct(v),
          v >= min.doubleValue() - 1e-12));
    }
    if (Boolean.TRUE.equals(cfg.get("failure_causes_recorded"))) {
      Map<?, ?> causes = m.get("failure_causes") instanceof Map<?, ?> x ? x : Map.of();
      long missing = (long) num(causes.get("unrecorded"));
      gates.add(new Gate("causes_recorded", "every failure names its cause",
          missing + " without a cause", missing == 0));
    }
    return gates;
  }

  private static double num(Object v) {
    return v instanceof Number n ? n.doubleValue() : 0;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
