package io.convoforge.family.groundedqa;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks a {@link QaPair} against the {@link Chunk} it came from. In: the pair, its chunk, the
 * "as of" day of the dataset. Out: a {@link Validation} that passes when no reason applies; the
 * reasons, in this order:
 *
 * <ul>
 *   <li>{@value #EVIDENCE_EMPTY}: the evidence is blank;
 *   <li>{@value #EVIDENCE_NOT_VERBATIM}: the evidence is not a substring of the chunk text. Only
 *       whitespace is normalised (every run of spaces, tabs and newlines counts as one space, ends
 *       trimmed); case, punctuation and markdown must match;
 *   <li>{@value #UNGROUNDED}: the answer states a number, money amount, percentage, date, time of
 *       day or capitalised name that the evidence does not contain (see {@link Facts} for how
 *       values are normalised: {@code 1,200} = {@code 1200}, {@code $49.00} = {@code 49}, {@code
 *       9am} = {@code 9:00});
 *   <li>{@value #FUTURE_DATE}: the question or the answer mentions a date whose earliest day is
 *       after {@code asOf} ({@link DateMentions}). A future date only in the evidence is not a
 *       reason by itself; the offline extractor keeps date clauses in its answers so it surfaces.
 * </ul>
 *
 * <p>The detail names the offending value of each reason, joined by "; ".
 */
public final class Grounding {
  public static final String EVIDENCE_EMPTY = "evidence_empty";
  public static final String EVIDENCE_NOT_VERBATIM = "evidence_not_verbatim";
  public static final String UNGROUNDED = "ungrounded";
  public static final String FUTURE_DATE = "future_date";

  private Grounding() {}

  public static Validation validate(QaPair pair, Chunk chunk, LocalDate asOf) {
    List<String> reasons = new ArrayList<>();
    List<String> details = new ArrayList<>();
    String evidence = Text.squash(pair.evidence());
    if (evidence.isEmpty()) {
      reasons.add(EVIDENCE_EMPTY);
      details.add("the evidence is empty");
    } else if (!Text.squash(chunk.text()).contains(evidence)) {
      reasons.add(EVIDENCE_NOT_VERBATIM);
      details.add("the evidence \"" + shorten(evidence) + "\" is not verbatim in chunk "
          + chunk.id() + " (only whitespace runs are normalised)");
    }
    Facts.Fact missing = Facts.firstUngrounded(pair.answer(), pair.evidence());
    if (missing != null) {
      reasons.add(UNGROUNDED);
      details.add("the answer states " + missing.kind() + " '" + missing.text()
          + "' which the evidence does not contain");
    }
    List<DateMention> future = new ArrayList<>();
    String where = null;
    for (DateMention m : DateMentions.laterThan(pair.question(), asOf)) {
      future.add(m);
      where = "question";
    }
    if (future.isEmpty()) {
      future.addAll(DateMentions.laterThan(pair.answer(), asOf));
      where = "answer";
    }
    if (!future.isEmpty()) {
      DateMention m = future.get(0);
      reasons.add(FUTURE_DATE);
      details.add("the " + where + " mentions '" + m.text() + "' (from " + m.earliest()
          + "), after as_of " + asOf);
    }
    return new Validation(reasons.isEmpty(), reasons, String.join("; ", details));
  }

  /**
   * The answer's key facts that {@code dialogue} does not state: every number, amount,
   * percentage, date and time of the answer must appear in it (names may be paraphrased).
   * Empty when all do.
   */
  public static List<String> missingKeyFacts(String answer, String dialogue) {
    Set<String> keys = Facts.keys(dialogue);
    String lower = Text.squash(dialogue).toLowerCase(java.util.Locale.ROOT);
    List<String> missing = new ArrayList<>();
    for (Facts.Fact f : Facts.claims(answer)) {
      if (!"name".equals(f.kind()) && !Facts.grounded(f, keys, lower)) {
        missing.add(f.text());
      }
    }
    return missing;
  }

  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
