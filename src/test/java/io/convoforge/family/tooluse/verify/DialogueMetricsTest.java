package io.convoforge.family.tooluse.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.family.Gate;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Turn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The metric definitions of issue 16, pinned on hand-made conversations. */
class DialogueMetricsTest {

  private static Turn turn(String user, String reply, String... tools) {
    List<ToolCall> calls = new ArrayList<>();
    List<ToolResult> results = new ArrayList<>();
    for (String t : tools) {
      calls.add(ToolCall.of(t, Map.of("x", 1)));
      results.add(ToolResult.success(t, Map.of()));
    }
    return new Turn(user, calls, results, new Turn.Response(reply));
  }

  private static Conversation conv(String id, String outcome, Map<String, Object> metadata,
      Turn... turns) {
    return new Conversation(id, "r", "T1", null, outcome, Map.of(), null, Map.of(),
        List.of(turns), null, metadata, Map.of());
  }

  private static Conversation conv(String id, Turn... turns) {
    return conv(id, "success", Map.of(), turns);
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Map<String, Object> m, String... path) {
    Object cur = m;
    for (String p : path) {
      cur = ((Map<String, Object>) cur).get(p);
    }
    return (T) cur;
  }

  @Test
  void fillerIsAMiddleTurnWithNoCallNoQuestionAndNoNewValue() {
    Conversation c = conv("c1",
        // First turn: never a middle turn, even without work.
        turn("Hi, I need a new client.", "Happy to help with that."),
        // A call: work.
        turn("Create Acme Corp, industry Retail.", "Done: client CL-100200 is saved.",
            "create_client"),
        // Restates CL-100200 and Acme, both already said: filler.
        turn("What have we done so far?", "So far I created Acme Corp as CL-100200."),
        // Asks for something: not filler.
        turn("Now an opportunity.", "Sure. What amount should it have?"),
        // States a name nobody said yet: not filler.
        turn("Who owns that account?", "The account owner is Dana Whitfield."),
        // States a new number: not filler.
        turn("And its size?", "It has 450 employees."),
        // Last turn: never a middle turn.
        turn("Thanks.", "You're welcome."));
    Map<String, Object> m = DialogueMetrics.of(List.of(c));
    assertEquals(5L, m.get("middle_turns"));
    assertEquals(1L, m.get("filler_turns"));
    assertEquals(0.2, m.get("filler_share"));
    assertEquals(0L, m.get("adjacent_filler_pairs"));
  }

  @Test
  void twoFillerTurnsInARowAreAnAdjacentPair() {
    Conversation c = conv("c2",
        turn("Create client Acme.", "Done: CL-1.", "create_client"),
        turn("Recap?", "I created Acme as CL-1."),
        turn("Recap again?", "Again: CL-1, Acme."),
        turn("Anything else?", "Nothing else was changed."),
        turn("Bye.", "Bye."));
    Map<String, Object> m = DialogueMetrics.of(List.of(c));
    assertEquals(3L, m.get("middle_turns"));
    assertEquals(3L, m.get("filler_turns"));
    assertEquals(2L, m.get("adjacent_filler_pairs"));
  }

  @Test
  void asksMeansAQuestionOrARequest() {
    assertTrue(DialogueMetrics.asks("Which stage should I use?"));
    assertTrue(DialogueMetrics.asks("Please share the contact's email."));
    assertTrue(DialogueMetrics.asks("Let me know the new amount."));
    assertTrue(DialogueMetrics.asks("I still need the close date."));
    assertTrue(DialogueMetrics.asks("Could you confirm the amount."));
    assertFalse(DialogueMetrics.asks("Done, the quote is saved."));
    assertFalse(DialogueMetrics.asks("No records were touched so far."));
  }

  @Test
  void valuesAreIdsNumbersEmailsAndNamesNotSaidBefore() {
    Set<String> seen = new HashSet<>();
    DialogueMetrics.tokens("Please add Acme with id CL-1", seen);
    // Sentence-initial capitals are not names; "I" never is.
    assertEquals(List.of(), DialogueMetrics.newValues("Sure. Done, I added it.", seen));
    assertEquals(List.of(), DialogueMetrics.newValues("Added Acme as CL-1.", seen));
    assertEquals(List.of("CL-2", "Dana", "dana@acme.com", "12.5"), DialogueMetrics.newValues(
        "Saved as CL-2, owned by Dana (dana@acme.com), discount 12.5.", seen));
    // After a colon a new sentence starts: "Recap" and "Here" are not names.
    assertEquals(List.of(), DialogueMetrics.newValues("Recap: Here it is.", seen));
  }

  @Test
  void mostRepeatedLineIsTheShareOfConversationsContainingIt() {
    List<Conversation> cs = List.of(
        conv("a", turn("Thanks.", "Anytime, see CL-1."), turn("thanks.", "Bye now.")),
        conv("b", turn("  Thanks. ", "Anytime, see CL-2."), turn("Hello", "Bye now.")),
        conv("c", turn("Thanks.", "Anytime, see CL-3.")),
        conv("d", turn("Hi", "Bye now.")));
    Map<String, Object> m = DialogueMetrics.of(cs);
    // Counted once per conversation, whatever its case and spacing.
    assertEquals("thanks.", at(m, "most_repeated_user_line", "text"));
    assertEquals(3L, (long) at(m, "most_repeated_user_line", "conversations"));
    assertEquals(0.75, (double) at(m, "most_repeated_user_line", "share"));
    assertEquals("bye now.", at(m, "most_repeated_assistant_line", "text"));
    assertEquals(3L, (long) at(m, "most_repeated_assistant_line", "conversations"));
  }

  @Test
  void bigramRatioIsDistinctOverAllOnTheSameTwoHundredConversationsWhateverTheOrder() {
    Map<String, Object> one = DialogueMetrics.of(List.of(conv("x", turn("a b a b", "c"))));
    // Bigrams: "a b", "b a", "a b": 2 distinct of 3.
    assertEquals(3L, (long) at(one, "distinct_bigrams_at_200", "bigrams"));
    assertEquals(0.6667, (double) at(one, "distinct_bigrams_at_200", "ratio"));

    List<Conversation> many = new ArrayList<>();
    for (int i = 0; i < 260; i++) {
      many.add(conv("id-" + i, turn("word" + i + " shared text", "reply " + (i % 7))));
    }
    Map<String, Object> m = DialogueMetrics.of(many);
    assertEquals(200, (int) at(m, "distinct_bigrams_at_200", "conversations"));
    Collections.shuffle(many, new Random(1));
    Map<String, Object> first = at(m, "distinct_bigrams_at_200");
    Map<String, Object> again = at(DialogueMetrics.of(many), "distinct_bigrams_at_200");
    assertEquals(first, again);
  }

  @Test
  void toolCallsMeanDistributionAndReadShare() {
    List<Conversation> cs = List.of(
        conv("a", turn("hi", "hello")),
        conv("b", turn("x", "y", "get_client", "create_quote")),
        conv("c", turn("x", "y", "search_contact"), turn("z", "w", "update_contact",
            "get_contact")));
    Map<String, Object> m = DialogueMetrics.of(cs);
    assertEquals(5L, (long) at(m, "tool_calls", "total"));
    assertEquals(1.6667, (double) at(m, "tool_calls", "mean"));
    assertEquals(Map.of("0", 1L, "2", 1L, "3", 1L), at(m, "tool_calls", "distribution"));
    assertEquals(3L, m.get("read_calls"));
    assertEquals(0.6, m.get("read_call_share"));
  }

  @Test
  void failureCausesCountFailureConversationsByTheirRecordedCause() {
    List<Conversation> cs = List.of(
        conv("a", "failure", Map.of("failure_cause", "typo_id"), turn("a", "b")),
        conv("b", "failure", Map.of("failure_cause", "typo_id"), turn("a", "b")),
        conv("c", "failure", Map.of(), turn("a", "b")),
        conv("d", "success", Map.of("failure_cause", "ignored"), turn("a", "b")));
    assertEquals(Map.of("typo_id", 2L, "unrecorded", 1L),
        DialogueMetrics.of(cs).get("failure_causes"));
  }

  @Test
  void gatesAreCheckedOnlyWhenTheRecipeSetsThemAndFailOnARegression() {
    List<Conversation> padded = new ArrayList<>();
    for (int i = 0; i < DialogueGates.LINE_SHARE_MIN_CONVERSATIONS; i++) {
      padded.add(conv("p" + i,
          turn("Create client Acme.", "Done: CL-1.", "create_client"),
          turn("Recap?", "I created Acme as CL-1."),
          turn("Bye.", "Bye.")));
    }
    Map<String, Object> m = DialogueMetrics.of(padded);
    assertEquals(List.of(), DialogueGates.evaluate(m, Map.of()));
    List<Gate> gates = DialogueGates.evaluate(m, Map.of("max_filler_share", 0.10,
        "max_repeated_line_share", 0.05, "min_distinct_bigram_ratio", 0.30,
        "min_tool_calls_mean", 1.0, "min_read_call_share", 0.5,
        "max_adjacent_filler_turns", 0, "failure_causes_recorded", true));
    Map<String, Boolean> passed = new java.util.TreeMap<>();
    gates.forEach(g -> passed.put(g.name(), g.passed()));
    assertEquals(Map.of("filler_share", false, "repeated_user_line", false,
        "repeated_reply_line", false, "distinct_bigrams", false, "tool_calls_mean", true,
        "read_call_share", false, "adjacent_filler", true, "causes_recorded", true),
        passed);
    // With too few conversations the line shares are not judged.
    Map<String, Object> few = DialogueMetrics.of(padded.subList(0, 30));
    for (Gate g : DialogueGates.evaluate(few, Map.of("max_repeated_line_share", 0.05))) {
      assertTrue(g.passed() && g.actual().startsWith("not judged"), g.toString());
    }
  }
}
