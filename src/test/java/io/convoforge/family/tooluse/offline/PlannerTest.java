package io.convoforge.family.tooluse.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.TestSupport;
import io.convoforge.core.input.InputException;
import io.convoforge.core.model.RejectException;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.gen.Typos;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Move;
import io.convoforge.family.tooluse.model.PlanStep;
import io.convoforge.family.tooluse.model.Turn;
import io.convoforge.family.tooluse.recipe.FailureMix;
import io.convoforge.family.tooluse.schema.Column;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The offline planner and writer on many conversations of the shipped CRM recipe. */
class PlannerTest {

  private static ToolUseContext ctx(String... sets) {
    return TestSupport.context(TestSupport.inputs(TestSupport.CRM, 200, sets));
  }

  private static Conversation conversation(ToolUseContext ctx, String task, String outcome,
      int i) throws RejectException {
    OfflineGenerator g = new OfflineGenerator(ctx);
    String id = "s7-" + task + "-" + (outcome.equals("failure") ? "F" : "S") + "-" + i;
    Conversation c = new Conversation(id, "crm-tool-use", task, null, outcome,
        Map.of("style", List.of("formal", "casual", "terse", "friendly", "hurried", "detailed")
            .get(i % 6), "name", "Ada Lovelace", "role", "founder"), null, null, null, null,
        Map.of("goal", "do the task"), Map.of());
    c = c.withPlan(g.plan(c));
    c = g.arguments(c);
    return c.withTurns(g.utterances(c));
  }

  /**
   * Every task of the recipe, both outcomes, {@code n} each; a failure of a task none of whose
   * steps can fail for the recipe's causes is left out (no_failure_mode, as the stage rejects).
   */
  private static List<Conversation> many(ToolUseContext ctx, int n) throws RejectException {
    List<Conversation> out = new ArrayList<>();
    for (String task : new TreeMap<>(ctx.tasks()).keySet()) {
      for (int i = 0; i < n; i++) {
        out.add(conversation(ctx, task, "success", i));
        try {
          out.add(conversation(ctx, task, "failure", i));
        } catch (RejectException e) {
          if (!"no_failure_mode".equals(e.reason())) {
            throw e;
          }
        }
      }
    }
    return out;
  }

  @Test
  void oneTurnPerMoveWithinTheRangeAndRecapsNeverTwoInARow() throws Exception {
    for (Conversation c : many(ctx(), 6)) {
      List<Move> script = c.plan().script();
      assertEquals(script.size(), c.turns().size(), c.id());
      assertTrue(script.size() >= 5 && script.size() <= 10, c.id() + " " + script.size());
      assertEquals("close", script.get(script.size() - 1).kind(), c.id());
      for (int i = 0; i < script.size(); i++) {
        Move m = script.get(i);
        Turn t = c.turns().get(i);
        assertEquals(m.calls().size(), t.expectedToolCalls().size(), c.id() + " turn " + i);
        for (int k = 0; k < m.calls().size(); k++) {
          assertEquals(c.plan().steps().get(m.calls().get(k)).tool(),
              t.expectedToolCalls().get(k).name(), c.id());
        }
        if ("recap".equals(m.kind())) {
          assertFalse(script.get(i - 1).calls().isEmpty(), c.id() + ": a recap follows work");
        }
      }
    }
  }

  @Test
  void aStaleLookAlikeOrUnfoundRecordIsNeverOneTheConversationCreatedOrFound() throws Exception {
    for (Conversation c : many(ctx(), 8)) {
      for (PlanStep s : c.plan().steps()) {
        if (!s.failing() || FailureMix.TYPO_ID.equals(s.cause())
            || "conflict".equals(s.failure())) {
          continue;
        }
        // The key the failing call uses was never said or returned before it.
        String bad = badKey(c, s);
        int turn = turnOf(c, s);
        for (int i = 0; i < turn; i++) {
          Turn t = c.turns().get(i);
          assertFalse((t.user() + t.responseText() + t.toolResults()).contains(bad),
              c.id() + ": " + bad + " came up before the failing call");
        }
      }
    }
  }

  @Test
  void aTypoIsOneCharacterOffARealKeyAndTheRetryUsesTheRealOne() throws Exception {
    int seen = 0;
    for (Conversation c : many(ctx("failure_causes={typo_id: 1, stale_record: 0,"
        + " duplicate_value: 0, wrong_kind: 0, empty_search: 0, value_unavailable: 0}"), 4)) {
      if (!c.isFailure()) {
        continue;
      }
      assertEquals(FailureMix.TYPO_ID, c.metadata().getOrDefault("failure_cause",
          c.plan().steps().stream().filter(PlanStep::failing).findFirst().orElseThrow()
              .cause()), c.id());
      PlanStep failing = c.plan().steps().stream().filter(PlanStep::failing).findFirst()
          .orElseThrow();
      String marker = failing.target() != null && failing.target().startsWith("~")
          ? failing.target() : failing.refs().values().stream()
          .filter(h -> h.startsWith("~")).findFirst().orElseThrow();
      String typo = ValueGenerator.render(c.plan().bindings().get(marker));
      String real = ValueGenerator.render(c.plan().bindings().get(marker.substring(1)));
      assertEquals(real.length(), typo.length(), c.id());
      int diff = 0;
      for (int i = 0; i < real.length(); i++) {
        diff += real.charAt(i) == typo.charAt(i) ? 0 : 1;
      }
      assertEquals(1, diff, c.id() + " " + real + " / " + typo);
      for (PlanStep s : c.plan().steps()) {
        if ("retry".equals(s.role())) {
          assertTrue(s.arguments().containsValue(c.plan().bindings().get(marker.substring(1))),
              c.id());
        }
      }
      seen++;
    }
    assertTrue(seen > 20, "typo failures seen: " + seen);
  }

  @Test
  void typosStayValidKeysOfTheirColumn() {
    ToolUseContext ctx = ctx();
    Column uuid = ctx.schema().table("Contact").key();
    Column pattern = ctx.schema().table("Client").key();
    Random r = new Random(5);
    for (int i = 0; i < 200; i++) {
      Object u = Typos.oneOff("3be143c6-6c86-2384-4734-e86d7b40a8f4", uuid, r, Set.of());
      assertTrue(String.valueOf(u).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}"
          + "-[0-9a-f]{12}"), String.valueOf(u));
      Object p = Typos.oneOff("CL-477612", pattern, r, Set.of("CL-477613"));
      assertTrue(String.valueOf(p).matches("CL-[0-9]{6}"), String.valueOf(p));
      assertNotEquals("CL-477612", p);
      assertNotEquals("CL-477613", p);
    }
  }

  @Test
  void causesFollowTheRecipeWeights() throws Exception {
    Map<String, Integer> counts = new TreeMap<>();
    for (Conversation c : many(ctx("failure_causes={typo_id: 0, stale_record: 1,"
        + " duplicate_value: 0, wrong_kind: 0, empty_search: 1, value_unavailable: 0}"), 6)) {
      PlanStep failing = c.plan().steps().stream().filter(PlanStep::failing).findFirst()
          .orElse(null);
      if (failing != null) {
        counts.merge(failing.cause(), 1, Integer::sum);
      }
    }
    assertEquals(Set.of(FailureMix.STALE_RECORD, FailureMix.EMPTY_SEARCH), counts.keySet(),
        counts.toString());
  }

  @Test
  void allCausesWeightedZeroIsAnInputErrorNamingTheField() {
    InputException e = assertThrows(InputException.class, () -> ctx("failure_causes={typo_id:"
        + " 0, stale_record: 0, duplicate_value: 0, wrong_kind: 0, empty_search: 0,"
        + " value_unavailable: 0}"));
    assertTrue(e.getMessage().contains("failure_causes"), e.getMessage());
    InputException unknown = assertThrows(InputException.class,
        () -> ctx("failure_causes.bad_luck=2"));
    assertTrue(unknown.getMessage().contains("failure_causes"), unknown.getMessage());
  }

  @Test
  void aRangeNoPlanCanReachIsRejectedNotPadded() {
    ToolUseContext ctx = ctx("turns.min=14", "turns.max=15");
    RejectException e = assertThrows(RejectException.class,
        () -> conversation(ctx, "T013", "success", 0));
    assertEquals("turns_unreachable", e.reason());
  }

  @Test
  void samePlanForTheSameSeedAndId() throws Exception {
    ToolUseContext ctx = ctx();
    for (String task : List.of("T002", "T006", "T010")) {
      Conversation a = conversation(ctx, task, "failure", 3);
      Conversation b = conversation(ctx, task, "failure", 3);
      assertEquals(a.plan(), b.plan());
      assertEquals(a.turns(), b.turns());
    }
  }

  private static int turnOf(Conversation c, PlanStep s) {
    List<Move> script = c.plan().script();
    for (int i = 0; i < script.size(); i++) {
      if (script.get(i).calls().contains(s.index())) {
        return i;
      }
    }
    throw new AssertionError(c.id() + ": step " + s.index() + " is in no turn");
  }

  private static String badKey(Conversation c, PlanStep s) {
    Set<String> candidates = new HashSet<>();
    if (s.target() != null) {
      candidates.add(s.target());
    }
    candidates.addAll(s.refs().values());
    for (String h : candidates) {
      if (h.startsWith("?") || h.startsWith("~") || !PlanState.tableOf(h).equals(s.table())
          && s.target() != null && s.target().equals(h)) {
        return ValueGenerator.render(c.plan().bindings().get(h));
      }
    }
    for (Map.Entry<String, String> e : s.refs().entrySet()) {
      Column col = TestSupport.context(TestSupport.inputs(TestSupport.CRM, 1)).schema()
          .table(s.table()).column(e.getKey());
      if (col != null && !PlanState.tableOf(e.getValue()).equals(col.references())) {
        return ValueGenerator.render(c.plan().bindings().get(e.getValue()));
      }
    }
    throw new AssertionError(c.id() + ": no bad key in " + s);
  }
}
