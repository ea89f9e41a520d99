package io.convoforge.family.scenario;

import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.model.Role;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import io.convoforge.family.scenario.spec.Timing;
import java.io.Serializable;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The checks every scenario call must pass, whatever wrote it (offline writer or model).
 *
 * <p>In: the spec (first speaker, turns, language, timing), a scenario and the messages. Out: one
 * {@link Verdict} per rule, never an exception:
 *
 * <ul>
 *   <li>{@code alternation}: the first message is the spec's {@code first}, then roles alternate.
 *   <li>{@code length}: exactly {@code turns} messages.
 *   <li>{@code non_empty}: no message is blank.
 *   <li>{@code language}: for es and en, the share of the call's words that are function words of
 *       the spec's language is at least {@value #MIN_STOPWORD_RATIO} and above the share of every
 *       other known language (natural speech in those languages runs at 0.35–0.55; a call in the
 *       other language scores below 0.15). Other languages: passed, with a note that it was skipped.
 *   <li>{@code progression}: the key terms of the scenario's outcome (its last progression step:
 *       words of 4+ letters that are not function words) appear in the last third of the call —
 *       at least half of them, each matched on a stem (the term less its last 3 letters, at
 *       least 4) so that inflections count ({@code abonar}/{@code abono}, {@code
 *       refund}/{@code refunded}). When the outcome has no key term, a closing marker
 *       ("¿algo más?", "anything else", "goodbye"…) in the last third is enough.
 *   <li>{@code timestamps}: with timing, every message has an ISO-8601 timestamp with the spec's
 *       offset, they strictly increase, and each gap lies in the latency range of the role that
 *       speaks the later message. Without timing: passed, skipped.
 * </ul>
 */
public final class TranscriptRules implements Serializable {
  public static final double MIN_STOPWORD_RATIO = 0.25;
  static final Map<String, List<String>> CLOSING_MARKERS = Map.of(
      "es", List.of("algo más", "buen día", "adiós", "hasta luego", "gracias por llamar"),
      "en", List.of("anything else", "great day", "goodbye", "bye", "thanks for calling",
          "take care"));

  private final PromptSpec spec;
  /** Key terms of each scenario's outcome (by scenario id), computed once. */
  private final Map<String, Set<String>> outcomeTerms = new java.util.HashMap<>();

  private TranscriptRules(PromptSpec spec) {
    this.spec = spec;
    for (Scenario s : spec.scenarios()) {
      outcomeTerms.put(s.id(), keyTerms(s.outcome()));
    }
  }

  public static TranscriptRules forSpec(PromptSpec spec) {
    return new TranscriptRules(spec);
  }

  /** Every rule, in the order of the class comment. */
  public List<Verdict> check(Scenario scenario, List<Message> messages) {
    return List.of(alternation(messages), length(messages), nonEmpty(messages),
        language(messages), progression(scenario, messages), timestamps(messages));
  }

  public static boolean allPassed(List<Verdict> verdicts) {
    return verdicts.stream().allMatch(Verdict::passed);
  }

  public Verdict alternation(List<Message> messages) {
    Role expected = spec.first();
    for (int i = 0; i < messages.size(); i++) {
      Role r = messages.get(i).role();
      if (r != expected) {
        return Verdict.fail("alternation", "message " + i + " is spoken by "
            + (r == null ? "nobody" : r.wire()) + ", expected " + expected.wire()
            + (i == 0 ? " (the spec's first speaker)" : " (roles alternate)"));
      }
      expected = expected.other();
    }
    return Verdict.pass("alternation", "starts with " + spec.first().wire() + ", alternates");
  }

  public Verdict length(List<Message> messages) {
    return messages.size() == spec.turns()
        ? Verdict.pass("length", spec.turns() + " messages")
        : Verdict.fail("length", messages.size() + " messages, expected " + spec.turns());
  }

  public Verdict nonEmpty(List<Message> messages) {
    for (int i = 0; i < messages.size(); i++) {
      String t = messages.get(i).text();
      if (t == null || t.isBlank()) {
        return Verdict.fail("non_empty", "message " + i + " is empty");
      }
    }
    return Verdict.pass("non_empty", "no empty message");
  }

  public Verdict language(List<Message> messages) {
    String lang = spec.primaryLanguage();
    if (!StopWords.BY_LANGUAGE.containsKey(lang)) {
      return Verdict.pass("language", "skipped: no stop-word list for '" + spec.language() + "'");
    }
    List<String> words = new ArrayList<>(256);
    for (Message m : messages) {
      StopWords.addWords(m.text() == null ? "" : m.text(), words);
    }
    if (words.isEmpty()) {
      return Verdict.fail("language", "no words");
    }
    double own = ratio(words, StopWords.BY_LANGUAGE.get(lang));
    for (Map.Entry<String, Set<String>> other : StopWords.BY_LANGUAGE.entrySet()) {
      if (other.getKey().equals(lang)) {
        continue;
      }
      double r = ratio(words, other.getValue());
      if (r >= own) {
        return Verdict.fail("language", String.format(Locale.ROOT,
            "reads as %s rather than %s (stop-word share %.2f vs %.2f)", other.getKey(), lang, r,
            own));
      }
    }
    return own >= MIN_STOPWORD_RATIO
        ? Verdict.pass("language", String.format(Locale.ROOT, "%s stop-word share %.2f", lang, own))
        : Verdict.fail("language", String.format(Locale.ROOT,
            "%s stop-word share %.2f below %.2f", lang, own, MIN_STOPWORD_RATIO));
  }

  public Verdict progression(Scenario scenario, List<Message> messages) {
    if (messages.isEmpty()) {
      return Verdict.fail("progression", "no messages");
    }
    int from = messages.size() - (messages.size() + 2) / 3;
    StringBuilder tail = new StringBuilder();
    for (int i = from; i < messages.size(); i++) {
      tail.append(messages.get(i).text() == null ? "" : messages.get(i).text()).append(' ');
    }
    List<String> tailWords = StopWords.words(tail.toString());
    Set<String> terms = outcomeTerms.containsKey(scenario.id())
        && scenario.equals(spec.scenario(scenario.id()).orElse(null))
        ? outcomeTerms.get(scenario.id()) : keyTerms(scenario.outcome());
    if (terms.isEmpty()) {
      String lower = tail.toString().toLowerCase(Locale.ROOT);
      for (String marker : CLOSING_MARKERS.getOrDefault(spec.primaryLanguage(), List.of())) {
        if (lower.contains(marker)) {
          return Verdict.pass("progression", "outcome has no key term; closing marker '" + marker
              + "' in the last third");
        }
      }
      return Verdict.fail("progression", "outcome has no key term and the last third has no"
          + " closing marker");
    }
    List<String> missing = new ArrayList<>();
    for (String term : terms) {
      String stem = term.substring(0, Math.max(4, term.length() - 3));
      if (tailWords.stream().noneMatch(w -> w.startsWith(stem))) {
        missing.add(term);
      }
    }
    int found = terms.size() - missing.size();
    String detail = found + "/" + terms.size() + " key terms of the outcome in the last "
        + (messages.size() - from) + " messages" + (missing.isEmpty() ? "" : "; missing " + missing);
    return found * 2 >= terms.size()
        ? Verdict.pass("progression", detail) : Verdict.fail("progression", detail);
  }

  public Verdict timestamps(List<Message> messages) {
    Timing timing = spec.timing();
    if (timing == null) {
      return Verdict.pass("timestamps", "skipped: the spec has no timing");
    }
    OffsetDateTime previous = null;
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      OffsetDateTime t;
      try {
        t = m.timestamp() == null ? null : Timeline.parse(m.timestamp());
      } catch (DateTimeParseException e) {
        return Verdict.fail("timestamps", "message " + i + ": '" + m.timestamp()
            + "' is not an ISO-8601 date-time with an offset");
      }
      if (t == null) {
        return Verdict.fail("timestamps", "message " + i + " has no timestamp");
      }
      if (!t.getOffset().equals(timing.start().getOffset())) {
        return Verdict.fail("timestamps", "message " + i + ": offset " + t.getOffset()
            + ", expected the spec's " + timing.start().getOffset());
      }
      if (previous != null) {
        long gap = Duration.between(previous, t).getSeconds();
        Timing.Range range = timing.latency(m.role() == null ? Role.AGENT : m.role());
        if (gap <= 0) {
          return Verdict.fail("timestamps", "message " + i + " at " + m.timestamp()
              + " does not come after message " + (i - 1));
        }
        if (!range.contains(gap)) {
          return Verdict.fail("timestamps", "message " + i + ": " + gap + " s after the previous,"
              + " outside the " + (m.role() == null ? "?" : m.role().wire()) + " latency " + range);
        }
      }
      previous = t;
    }
    return Verdict.pass("timestamps", "increasing, gaps within the latency ranges");
  }

  /** Words of 4+ letters of {@code text} that are not function words of the spec's language. */
  Set<String> keyTerms(String text) {
    Set<String> stop = StopWords.BY_LANGUAGE.getOrDefault(spec.primaryLanguage(), Set.of());
    Set<String> out = new LinkedHashSet<>();
    for (String w : StopWords.words(text)) {
      if (w.length() >= 4 && !stop.contains(w)) {
        out.add(w);
      }
    }
    return out;
  }

  private static double ratio(List<String> words, Set<String> stop) {
    int n = 0;
    for (String w : words) {
      if (stop.contains(w)) {
        n++;
      }
    }
    return (double) n / words.size();
  }
}
