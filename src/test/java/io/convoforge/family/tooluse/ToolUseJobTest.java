package io.convoforge.family.tooluse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.TestSupport;
import io.convoforge.core.input.InputException;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.core.run.Job;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.gen.MemoryStore;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Turn;
import io.convoforge.family.tooluse.verify.DialogueMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs through the launcher's code path, on the DirectRunner. */
class ToolUseJobTest {
  @TempDir Path tmp;

  private Job.Result run(Path recipe, Integer count, Path out, String... overrides) {
    return Job.run(new Job.Request(recipe, List.of(overrides), count, out, false, List.of()));
  }

  @Test
  void crmRunAccountsForEveryElement() {
    Job.Result r = run(TestSupport.CRM, 80, tmp.resolve("out"));
    Map<String, Object> rep = r.report();
    assertEquals(80L, rep.get("sampled"));
    assertEquals(Boolean.TRUE, ((Map<?, ?>) rep.get("invariant")).get("holds"));
    long rejected = ((Map<?, ?>) rep.get("rejected")).values().stream()
        .mapToLong(v -> ((Number) v).longValue()).sum();
    assertEquals(80L, (Long) rep.get("accepted") + rejected);
    Map<?, ?> slices = (Map<?, ?>) rep.get("slices");
    assertTrue(((Map<?, ?>) slices.get("task")).size() > 5);
    assertTrue(((Map<?, ?>) slices.get("outcome")).containsKey("failure"));
    assertTrue(Files.exists(r.out().resolve("report.json")));
    assertFalse(TestSupport.lines(r.out(), "_funnel*").iterator().hasNext(),
        "the funnel counts are in report.json, not left as files");
    Map<?, ?> text = (Map<?, ?>) rep.get("text");
    assertTrue(((Number) text.get("distinct_bigram_ratio")).doubleValue() > 0.05);
    // The dialogue section combined in the pipeline equals the metrics computed in memory.
    assertEquals(Json.write(DialogueMetrics.of(TestSupport.conversations(r.out()))),
        Json.write(rep.get("dialogue")));
  }

  @Test
  void anUnseenSchemaYieldsValidCallsOnExistingEntities() {
    Job.Result r = run(TestSupport.CLINIC, null, tmp.resolve("clinic"));
    List<Conversation> all = TestSupport.conversations(r.out());
    assertEquals(60, all.size() + ((Number) r.report().get("rejected_total")).intValue());
    assertTrue(all.size() >= 55, "accepted " + all.size());
    ToolUseContext ctx = TestSupport.context(TestSupport.inputs(TestSupport.CLINIC, 60));
    for (Conversation c : all) {
      // Replay every call on the seed entities: success calls must succeed (so every key and
      // reference they use exists), the one intended failure must fail as intended.
      MemoryStore store = new MemoryStore(ctx.schema(), ctx.tools(), c.id(), new ValueGenerator());
      c.initialEntities().forEach((k, row) -> store.seed(k.substring(0, k.indexOf(':')), row));
      int failures = 0;
      for (Turn t : c.turns()) {
        for (ToolCall call : t.expectedToolCalls()) {
          assertTrue(ctx.tools().containsKey(call.name()), call.name());
          assertEquals(List.of(), ctx.validator().violations(call.name(), call.arguments()),
              c.id());
          ToolResult res = store.execute(call);
          if (call.expectError() == null) {
            assertTrue(res.ok(), c.id() + " " + call + " -> " + res);
          } else {
            failures++;
            assertEquals(call.expectError(), res.error().code(), c.id());
          }
        }
      }
      assertEquals(c.isFailure() ? 1 : 0, failures, c.id());
    }
  }

  @Test
  void chainsRecipeYieldsTheSeedsExactPerChainCounts() {
    Job.Result r = run(TestSupport.CHAINS, null, tmp.resolve("chains"));
    Map<?, ?> slices = (Map<?, ?>) r.report().get("slices");
    Map<?, ?> byChain = (Map<?, ?>) slices.get("chain");
    Map<String, Integer> expected = Map.of("CHAIN-002A", 262, "CHAIN-002B", 174,
        "CHAIN-003A", 136, "CHAIN-003B", 91, "CHAIN-006A", 73, "CHAIN-006B", 48,
        "CHAIN-007A", 88, "CHAIN-007B", 58, "CHAIN-009A", 42, "CHAIN-009B", 28);
    expected.forEach((chain, n) -> {
      Map<?, ?> s = (Map<?, ?>) byChain.get(chain);
      assertEquals(n.longValue(), s.get("sampled"), chain);
      assertEquals(n.longValue(), (Long) s.get("accepted") + (Long) s.get("rejected"), chain);
    });
    assertEquals(1000L, r.report().get("sampled"));
    Map<?, ?> outcomes = (Map<?, ?>) slices.get("outcome");
    assertEquals(601L, ((Map<?, ?>) outcomes.get("success")).get("sampled"));
    assertEquals(399L, ((Map<?, ?>) outcomes.get("failure")).get("sampled"));
    // Every gate the recipe declares holds, the dialogue ones included.
    Map<?, ?> gates = (Map<?, ?>) r.report().get("gates");
    assertEquals(true, gates.get("passed"), String.valueOf(gates.get("failed")));
    // fail_at still names the tool whose call fails; the cause is recorded beside it.
    for (Conversation c : TestSupport.conversations(r.out())) {
      Object failAt = c.metadata().get("fail_at");
      if (failAt == null) {
        continue;
      }
      assertTrue(c.metadata().containsKey("failure_cause"), c.id());
      long failing = c.turns().stream().flatMap(t -> t.expectedToolCalls().stream())
          .filter(call -> call.expectError() != null)
          .peek(call -> assertEquals(failAt, call.name(), c.id())).count();
      assertEquals(1, failing, c.id());
    }
  }

  @Test
  void sameSeedSameBytesDifferentSeedDifferentData() throws Exception {
    Path a = run(TestSupport.CRM, 30, tmp.resolve("a")).out();
    Path b = run(TestSupport.CRM, 30, tmp.resolve("b")).out();
    Path c = run(TestSupport.CRM, 30, tmp.resolve("c"), "seed=8").out();
    assertEquals(sorted(a), sorted(b));
    assertFalse(sorted(a).equals(sorted(c)));
  }

  @Test
  void nonEmptyOutputIsRefusedAndLeftIntact() throws Exception {
    Path out = tmp.resolve("keep");
    TestSupport.write(out, "precious.txt", "earlier output");
    InputException e = assertThrows(InputException.class,
        () -> run(TestSupport.CRM, 5, out));
    assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
    // Bad input with --overwrite: refused before anything is touched.
    assertThrows(InputException.class, () -> Job.run(new Job.Request(TestSupport.CRM,
        List.of("tasks=src/test/resources/bad/missing.csv"), 5, out, true, List.of())));
    assertEquals("earlier output", Files.readString(out.resolve("precious.txt")));
    try (var s = Files.list(tmp)) {
      assertEquals(1, s.count(), "no staging directory is left behind");
    }
  }

  @Test
  void overwriteReplacesTheWholeDirectory() throws Exception {
    Path out = tmp.resolve("replace");
    TestSupport.write(out, "old.txt", "old");
    Job.run(new Job.Request(TestSupport.CRM, List.of(), 5, out, true, List.of()));
    assertFalse(Files.exists(out.resolve("old.txt")));
    assertTrue(Files.exists(out.resolve("report.json")));
  }

  static List<String> sorted(Path dir) {
    List<String> lines = new java.util.ArrayList<>(TestSupport.lines(dir, "conversations*.jsonl"));
    lines.sort(null);
    return lines;
  }
}
