package io.convoforge.family.groundedqa;

import io.convoforge.core.family.ExportProfile;
import io.convoforge.core.model.Record;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Grounded Q&A dialogues as training examples. System prompt: answer only from the facts given,
 * followed by the passage the answer rests on (its heading and evidence), so a model trained on
 * the data learns to answer from context rather than to recite the document. No tools. Siblings:
 * the dialogues of one Q&A pair, and pairs asking the same question (case and punctuation
 * aside), stay in one split.
 */
final class GroundedQaExport implements ExportProfile {
  static final String SYSTEM = "You are a customer support assistant. Answer only what the"
      + " facts below support; when they do not cover a question, say so. Keep the numbers,"
      + " dates and times exactly as written.";

  private final String facts;
  private final String asOf;

  GroundedQaExport(String facts, String asOf) {
    this.facts = facts;
    this.asOf = asOf;
  }

  @Override
  public String system(Record<?> r) {
    QaPair p = pair(r);
    if (p == null) {
      return SYSTEM;
    }
    return SYSTEM + "\n\nFacts (" + p.heading() + "):\n" + p.evidence();
  }

  @Override
  public List<Map<String, Object>> tools(Record<?> r) {
    return List.of();
  }

  @Override
  public List<String> siblingKeys(Record<?> r) {
    QaPair p = pair(r);
    if (p == null) {
      return List.of(r.id());
    }
    String q = p.question().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
    return q.isEmpty() ? List.of("qa:" + p.id()) : List.of("qa:" + p.id(), "question:" + q);
  }

  @Override
  public List<String> caveats() {
    return List.of(
        "Every answer is grounded in one facts document" + (facts == null ? "" : " (" + facts
            + ")") + (asOf == null ? "" : ", as of " + asOf) + "; facts that change after that"
            + " date make the data stale, and nothing outside the document is known.",
        "Customers are personas with a style each; names are fictional.",
        "On the offline backend questions come from templates and dialogue text from a phrase"
            + " bank: fluent but templated, less varied than a model's.");
  }

  private static QaPair pair(Record<?> r) {
    return r.payload() instanceof GroundedQa g ? g.pair() : null;
  }
}
