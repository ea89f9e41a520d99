package io.convoforge.family.groundedqa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The offline judge of grounded Q&A dialogues: the four criteria of {@link #CRITERIA}, decided by
 * rules. In: the pair the dialogue was written from, the messages, the persona and style. Out: a
 * verdict per criterion, in {@link #CRITERIA} order; a failed verdict's detail names the message
 * and the value at fault.
 *
 * <ul>
 *   <li>{@code factual}: every number, money amount, percentage, date, time and capitalised name
 *       (not at a sentence start) in an assistant message occurs in the evidence, the question,
 *       the heading or the persona's name and role (compared as {@link Facts} does), and every
 *       number, date and time of the pair's answer occurs in the assistant's messages;
 *   <li>{@code natural}: messages alternate starting with the user and end with the assistant,
 *       roles are user or assistant, no message is empty, shorter than {@value #MIN_CHARS} or
 *       longer than {@value #MAX_CHARS} characters, equal to the one before it or to the same
 *       speaker's previous one, or holds a template placeholder ({@code {x}}, {@code {{x}}});
 *   <li>{@code on_topic}: the dialogue mentions a content word of the heading's topic or at least
 *       half of the question's content words, and the first assistant message shares a content
 *       word with the question, the evidence or the topic;
 *   <li>{@code adds_value}: the first assistant message states at least one fact of the evidence
 *       (a number, date, time or name) that the question does not already hold, or, for evidence
 *       without such facts, repeats a run of four of its words.
 * </ul>
 *
 * <p>The style is accepted for parity with the LLM judge's inputs; no rule depends on it.
 */
public final class RubricRules {
  public static final String FACTUAL = "factual";
  public static final String NATURAL = "natural";
  public static final String ON_TOPIC = "on_topic";
  public static final String ADDS_VALUE = "adds_value";
  /** Criterion names and descriptions, for the LLM judge's {@code {{rubric}}} and its schema. */
  public static final Map<String, String> CRITERIA = criteria();
  public static final int MIN_CHARS = 2;
  public static final int MAX_CHARS = 1200;

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{?\\s*[A-Za-z_]+\\s*}}?");

  private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  private RubricRules() {}

  public static Map<String, Verdict> judge(QaPair pair, List<Utterance> messages,
      Persona persona, Style style) {
    Map<String, Verdict> out = new LinkedHashMap<>();
    out.put(FACTUAL, factual(pair, messages, persona));
    out.put(NATURAL, natural(messages));
    out.put(ON_TOPIC, onTopic(pair, messages));
    out.put(ADDS_VALUE, addsValue(pair, messages));
    return out;
  }

  private static Verdict factual(QaPair pair, List<Utterance> messages, Persona persona) {
    String allowed = pair.evidence() + "\n" + pair.question() + "\n" + pair.heading() + "\n"
        + persona.name() + "\n" + persona.role();
    Set<String> keys = Facts.keys(allowed);
    String lower = Text.squash(allowed).toLowerCase(Locale.ROOT);
    StringBuilder said = new StringBuilder();
    for (int i = 0; i < messages.size(); i++) {
      Utterance u = messages.get(i);
      if (!Utterance.ASSISTANT.equals(u.role())) {
        continue;
      }
      said.append(u.text()).append('\n');
      for (Facts.Fact f : Facts.claims(u.text())) {
        if (!Facts.grounded(f, keys, lower)) {
          return Verdict.fail("message " + (i + 1) + " (assistant) states " + f.kind() + " '"
              + f.text() + "', which is in neither the evidence nor the question");
        }
      }
    }
    String assistant = said.toString();
    Set<String> saidKeys = Facts.keys(assistant);
    String saidLower = Text.squash(assistant).toLowerCase(Locale.ROOT);
    for (Facts.Fact f : Facts.claims(pair.answer())) {
      if (!f.kind().equals("name") && !Facts.grounded(f, saidKeys, saidLower)) {
        return Verdict.fail("the answer's " + f.kind() + " '" + f.text()
            + "' never appears in the assistant's messages");
      }
    }
    return Verdict.pass("every value the assistant states is in the evidence or the question");
  }

  private static Verdict natural(List<Utterance> messages) {
    if (messages.isEmpty()) {
      return Verdict.fail("the dialogue has no messages");
    }
    for (int i = 0; i < messages.size(); i++) {
      Utterance u = messages.get(i);
      String expected = i % 2 == 0 ? Utterance.USER : Utterance.ASSISTANT;
      String n = "message " + (i + 1);
      if (!Utterance.USER.equals(u.role()) && !Utterance.ASSISTANT.equals(u.role())) {
        return Verdict.fail(n + " has role '" + u.role() + "'; expected user or assistant");
      }
      if (!u.role().equals(expected)) {
        return Verdict.fail(n + " is from the " + u.role() + " but the " + expected
            + " should speak (messages alternate, starting with the user)");
      }
      String t = u.text().strip();
      if (t.isEmpty()) {
        return Verdict.fail(n + " (" + u.role() + ") is empty");
      }
      if (t.length() < MIN_CHARS || t.length() > MAX_CHARS) {
        return Verdict.fail(n + " (" + u.role() + ") has " + t.length()
            + " characters; expected " + MIN_CHARS + " to " + MAX_CHARS);
      }
      if (PLACEHOLDER.matcher(t).find()) {
        return Verdict.fail(n + " (" + u.role() + ") holds a template placeholder: " + t);
      }
      for (int back = 1; back <= 2 && i - back >= 0; back++) {
        if (Text.squash(messages.get(i - back).text()).equalsIgnoreCase(Text.squash(t))) {
          return Verdict.fail(n + " repeats message " + (i + 1 - back));
        }
      }
    }
    Utterance last = messages.get(messages.size() - 1);
    if (!Utterance.ASSISTANT.equals(last.role())) {
      return Verdict.fail("the dialogue ends with an unanswered user message");
    }
    return Verdict.pass(messages.size() + " alternating messages, none empty or repeated");
  }

  private static Verdict onTopic(QaPair pair, List<Utterance> messages) {
    StringBuilder all = new StringBuilder();
    String firstAssistant = null;
    for (Utterance u : messages) {
      all.append(u.text()).append('\n');
      if (firstAssistant == null && Utterance.ASSISTANT.equals(u.role())) {
        firstAssistant = u.text();
      }
    }
    Set<String> said = Text.contentWords(all.toString());
    Set<String> topic = Text.contentWords(Text.topic(pair.heading()));
    Set<String> question = Text.contentWords(pair.question());
    List<String> topicHits = new ArrayList<>(topic);
    topicHits.retainAll(said);
    List<String> questionHits = new ArrayList<>(question);
    questionHits.retainAll(said);
    if (topicHits.isEmpty() && questionHits.size() * 2 < question.size()) {
      return Verdict.fail("the dialogue mentions none of the topic's words " + topic
          + " and only " + questionHits + " of the question's " + question);
    }
    if (firstAssistant == null) {
      return Verdict.fail("the assistant never answers");
    }
    Set<String> related = Text.contentWords(pair.question() + "\n" + pair.evidence() + "\n"
        + Text.topic(pair.heading()));
    List<String> shared = new ArrayList<>(Text.contentWords(firstAssistant));
    shared.retainAll(related);
    if (shared.isEmpty()) {
      return Verdict.fail("the assistant's answer shares no word with the question, the "
          + "evidence or the topic");
    }
    return Verdict.pass("the answer is about " + shared.subList(0, Math.min(3, shared.size())));
  }

  private static Verdict addsValue(QaPair pair, List<Utterance> messages) {
    String answer = null;
    for (Utterance u : messages) {
      if (Utterance.ASSISTANT.equals(u.role())) {
        answer = u.text();
        break;
      }
    }
    if (answer == null) {
      return Verdict.fail("the assistant never answers");
    }
    Set<String> asked = Facts.keys(pair.question());
    List<Facts.Fact> evidenceFacts = new ArrayList<>();
    for (Facts.Fact f : Facts.claims(pair.evidence())) {
      if (f.keys().stream().noneMatch(asked::contains)) {
        evidenceFacts.add(f);
      }
    }
    if (!evidenceFacts.isEmpty()) {
      Set<String> evidenceKeys = new HashSet<>();
      for (Facts.Fact f : evidenceFacts) {
        evidenceKeys.addAll(f.keys());
      }
      for (Facts.Fact f : Facts.claims(answer)) {
        for (String k : f.keys()) {
          if (evidenceKeys.contains(k)) {
            return Verdict.pass("the answer states " + f.kind() + " '" + f.text()
                + "' from the evidence");
          }
        }
      }
      return Verdict.fail("the answer states none of the evidence's facts (e.g. '"
          + evidenceFacts.get(0).text() + "')");
    }
    String[] ev = words(pair.evidence());
    String said = " " + String.join(" ", words(answer)) + " ";
    for (int i = 0; i + 4 <= ev.length; i++) {
      String gram = " " + String.join(" ", Arrays.copyOfRange(ev, i, i + 4)) + " ";
      if (said.contains(gram)) {
        return Verdict.pass("the answer repeats the evidence's '" + gram.strip() + "'");
      }
    }
    return Verdict.fail("the answer repeats no four-word run of the evidence");
  }

  private static String[] words(String s) {
    return NON_WORD.matcher(s.toLowerCase(Locale.ROOT)).replaceAll(" ").strip().split(" ");
  }

  private static Map<String, String> criteria() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put(FACTUAL, "Every number, price, date, time and name the assistant states is supported "
        + "by the evidence (or the customer's own question); nothing is invented, and the "
        + "answer's figures are all given.");
    c.put(NATURAL, "It reads like a real support chat: the customer and the assistant take "
        + "turns, no message is empty, repeated or left with template placeholders, and the "
        + "wording fits the customer's style.");
    c.put(ON_TOPIC, "The conversation stays on the question and the document section it is "
        + "about; the assistant's reply addresses what was asked.");
    c.put(ADDS_VALUE, "The assistant's answer gives the customer concrete information from the "
        + "evidence rather than a vague or evasive reply.");
    return Collections.unmodifiableMap(c);
  }
}
