package io.convoforge.family.scenario;

import io.convoforge.core.util.Seeds;
import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.model.Role;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Timing;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Timestamps for a spec with timing; the pipeline assigns them, never the writer or the model.
 *
 * <p>Rule. The run's conversations are laid on consecutive slots of equal length: the longest
 * possible call ({@code turns - 1} gaps, each at its role's maximum latency) plus a 10-minute
 * window. Conversation g of the run ({@code g = batch index × batch size + slot}) starts at {@code
 * start + g × slot length + a drawn second of the window} (conversation 0 exactly at {@code
 * start}); each later message comes a drawn whole number of seconds after the previous one,
 * inside the latency range of the role that speaks it. Hence timestamps strictly increase within
 * a call, every call ends before the next one starts, and batches follow each other — with no
 * call depending on another, so any worker can time any element alone. All draws come from (run
 * seed, conversation id).
 *
 * <p>Timestamps are ISO-8601 to the second with the spec's offset ({@code
 * 2026-03-02T09:00:17+01:00}).
 */
public final class Timeline implements Serializable {
  public static final int WINDOW_SECONDS = 600;
  public static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

  private final Timing timing;
  private final int turns;
  private final int batchSize;
  private final long slotSeconds;

  private Timeline(Timing timing, Role first, int turns, int batchSize) {
    this.timing = timing;
    this.turns = turns;
    this.batchSize = batchSize;
    long longest = 0;
    for (int i = 1; i < turns; i++) {
      longest += timing.latency(Role.at(first, i)).max();
    }
    this.slotSeconds = longest + WINDOW_SECONDS;
  }

  /** The spec's timeline for batches of {@code batchSize}; {@code null} when it has no timing. */
  public static Timeline of(PromptSpec spec, int batchSize) {
    return spec.timing() == null ? null
        : new Timeline(spec.timing(), spec.first(), spec.turns(), batchSize);
  }

  /** When the first message of slot {@code slot} of batch {@code batchIndex} is sent. */
  public OffsetDateTime start(int batchIndex, int slot, long runSeed, String conversationId) {
    long g = (long) batchIndex * batchSize + slot;
    long jitter = g == 0 ? 0
        : new SplittableRandom(Seeds.of(runSeed, conversationId, "timeline-start"))
            .nextInt(WINDOW_SECONDS);
    return timing.start().plusSeconds(g * slotSeconds + jitter);
  }

  /** {@code messages} with timestamps; the roles must alternate from the spec's first speaker. */
  public List<Message> stamp(List<Message> messages, int batchIndex, int slot, long runSeed,
      String conversationId) {
    OffsetDateTime t = start(batchIndex, slot, runSeed, conversationId);
    SplittableRandom r = new SplittableRandom(Seeds.of(runSeed, conversationId, "timeline"));
    List<Message> out = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (i > 0) {
        Timing.Range l = timing.latency(m.role());
        t = t.plusSeconds(l.min() + r.nextInt(l.max() - l.min() + 1));
      }
      out.add(m.withTimestamp(FORMAT.format(t)));
    }
    return out;
  }

  /**
   * An ISO-8601 date-time with an offset, as {@link OffsetDateTime#parse} reads it; the form this
   * class writes ({@code 2026-03-02T09:00:17+01:00}) without the general parser, which costs
   * more than the rest of the rules that read every timestamp of every call.
   */
  public static OffsetDateTime parse(String s) {
    if (s.length() == 25 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T'
        && s.charAt(13) == ':' && s.charAt(16) == ':' && s.charAt(22) == ':'
        && (s.charAt(19) == '+' || s.charAt(19) == '-')) {
      int sign = s.charAt(19) == '+' ? 1 : -1;
      try {
        return OffsetDateTime.of(digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2),
            digits(s, 11, 2), digits(s, 14, 2), digits(s, 17, 2), 0,
            java.time.ZoneOffset.ofHoursMinutes(sign * digits(s, 20, 2),
                sign * digits(s, 23, 2)));
      } catch (java.time.DateTimeException | NumberFormatException e) {
        // Not a valid date of that form: the general parser says why.
      }
    }
    return OffsetDateTime.parse(s);
  }

  private static int digits(String s, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new NumberFormatException(s);
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  public long slotSeconds() {
    return slotSeconds;
  }

  public int turns() {
    return turns;
  }
}
