package io.convoforge.family.groundedqa;

import io.convoforge.core.util.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a support chat around one Q&A pair without a model. In: the pair, the customer, their
 * style, the message-count bounds, the run seed and the {@link PhraseBank}. Out: messages that
 * alternate user, assistant, ... starting with the user and ending with the assistant.
 *
 * <p>Shape: the customer asks the pair's question (after an optional greeting, in a frame of their
 * style), the assistant answers with the pair's answer verbatim (so every number of the answer is
 * in the chat), then follow-ups, each kind at most once before any repeats (clarify: the assistant
 * restates the evidence; more: "anything else about the topic?", answered by saying there is
 * nothing beyond the evidence and restating it; quote: the evidence word for word; scope: "does
 * that apply to everyone?", answered with the evidence and no promise beyond it), then the
 * customer's thanks and the assistant's goodbye. Nothing but the pair's answer and evidence is
 * ever stated as fact.
 *
 * <p>Message count: an even number drawn uniformly from [{@code minMessages}, {@code
 * maxMessages}] after rounding the bounds inward to even numbers (and the lower one up to 2); an
 * interval without an even number (such as [3, 3]) is an {@link IllegalArgumentException}. Two
 * messages are question and answer, four add the goodbye, six and more add follow-ups.
 *
 * <p>Deterministic: every choice comes from {@code Seeds.of(seed, pairId/personaId/styleId,
 * "converse")}. Cheap: no regex, no JSON, templates pre-parsed by the bank (well over 20,000
 * dialogues a second on one core).
 */
public final class DialogueWriter {
  public static final String STAGE = "converse";

  private DialogueWriter() {}

  public static List<Utterance> write(QaPair pair, Persona persona, Style style, int minMessages,
      int maxMessages, long seed, PhraseBank bank) {
    SplittableRandom r = new SplittableRandom(
        Seeds.of(seed, pair.id() + "/" + persona.id() + "/" + style.id(), STAGE));
    int count = messageCount(minMessages, maxMessages, r);
    String s = style.id();
    String[] vars = vars(pair, persona);
    List<Utterance> out = new ArrayList<>(count);
    String open = bank.say(r, "user.open", s, vars);
    String[] askVars = paraphrased(vars, s, r);
    String ask = bank.say(r, "user.ask", s, askVars);
    for (int tries = 0; tries < 3 && open.contains(vars[2]) && ask.contains(vars[2]); tries++) {
      ask = bank.say(r, "user.ask", s, askVars);
    }
    out.add(Utterance.user(join(open, ask)));
    out.add(Utterance.assistant(join(bank.say(r, "assistant.greet", s, vars),
        bank.say(r, "assistant.answer", s, vars))));
    int followUps = count / 2 - 2;
    String[] kinds = shuffledKinds(r);
    for (int k = 0; k < followUps; k++) {
      String kind = kinds[k % kinds.length];
      add(out, Utterance.USER, bank, r, "user." + kind, s, vars);
      add(out, Utterance.ASSISTANT, bank, r, "assistant." + kind, s, vars);
    }
    if (count >= 4) {
      out.add(Utterance.user(join(bank.say(r, "user.thanks", s, vars),
          bank.say(r, "user.sign_off", s, vars))));
      out.add(Utterance.assistant(join(bank.say(r, "assistant.welcome", s, vars),
          bank.say(r, "assistant.offer", s, vars))));
    }
    return out;
  }

  /** An even count in [min, max] (bounds rounded inward to even, min at least 2). */
  static int messageCount(int min, int max, SplittableRandom r) {
    int lo = Math.max(2, min + (min & 1));
    int hi = max - (max & 1);
    if (lo > hi) {
      throw new IllegalArgumentException("no even message count in [" + min + ", " + max
          + "]; a dialogue starts with the user and ends with the assistant");
    }
    return lo + 2 * r.nextInt((hi - lo) / 2 + 1);
  }

  /** Adds a phrase, drawing again (up to three times) if it repeats that speaker's last one. */
  private static void add(List<Utterance> out, String role, PhraseBank bank, SplittableRandom r,
      String path, String style, String[] vars) {
    String previous = out.size() >= 2 ? out.get(out.size() - 2).text() : "";
    String text = bank.say(r, path, style, vars);
    for (int tries = 0; tries < 3 && text.equals(previous); tries++) {
      text = bank.say(r, path, style, vars);
    }
    out.add(new Utterance(role, text));
  }

  private static String[] vars(QaPair pair, Persona persona) {
    String context = pair.evidence() + "\n" + pair.question() + "\n" + pair.answer();
    String topic = Text.topicOf(pair.heading(), context);
    String evidence = pair.evidence().strip();
    String detail = evidence.startsWith("|") || evidence.length() > 320
        ? pair.answer() : Text.plain(evidence);
    String[] v = new String[PhraseBank.PLACEHOLDERS.size()];
    v[0] = pair.question();
    v[1] = Text.lowerFirst(pair.question());
    v[2] = topic.isEmpty() ? "this" : topic;
    v[3] = pair.answer();
    v[4] = detail.isEmpty() ? pair.answer() : detail;
    v[5] = persona.name();
    v[6] = persona.firstName();
    v[7] = withArticle(persona.role());
    return v;
  }

  /**
   * In relaxed styles, half the time a contraction ("What is" → "What's"): a light paraphrase
   * that keeps every content word of the question.
   */
  private static String[] paraphrased(String[] vars, String style, SplittableRandom r) {
    if (style.equals("formal") || !r.nextBoolean()) {
      return vars;
    }
    String q = vars[0];
    String c = q.startsWith("What is ") ? "What's " + q.substring(8)
        : q.startsWith("When is ") ? "When's " + q.substring(8)
        : q.startsWith("Where is ") ? "Where's " + q.substring(9)
        : q.startsWith("How is ") ? "How's " + q.substring(7)
        : null;
    if (c == null) {
      return vars;
    }
    String[] v = vars.clone();
    v[0] = c;
    v[1] = Text.lowerFirst(c);
    return v;
  }

  private static String[] shuffledKinds(SplittableRandom r) {
    String[] k = PhraseBank.FOLLOW_UPS.toArray(String[]::new);
    for (int i = k.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      String t = k[i];
      k[i] = k[j];
      k[j] = t;
    }
    return k;
  }

  private static String join(String a, String b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() ? a : a + " " + b;
  }

  static String withArticle(String role) {
    String r = role.strip();
    String lower = r.toLowerCase(Locale.ROOT);
    if (lower.startsWith("a ") || lower.startsWith("an ") || lower.startsWith("the ")) {
      return r;
    }
    boolean vowel = !r.isEmpty() && "aeiou".indexOf(lower.charAt(0)) >= 0
        && !lower.startsWith("uni") && !lower.startsWith("use");
    return (vowel ? "an " : "a ") + r;
  }
}
