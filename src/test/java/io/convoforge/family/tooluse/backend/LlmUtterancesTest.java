package io.convoforge.family.tooluse.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convoforge.TestSupport;
import io.convoforge.core.family.RunContext;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.RejectException;
import io.convoforge.core.run.Inputs;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Turn;
import io.convoforge.family.tooluse.offline.OfflineGenerator;
import io.convoforge.testing.FakeLlm;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The LLM path rewrites the lines of the offline scaffold's turns: the prompt names each turn's
 * move and the failure's cause, the calls and results stay the scaffold's, and a rewrite that
 * loses a value the calls use is re-asked once, then rejected.
 */
class LlmUtterancesTest {
  private static final AtomicReference<String> LAST_PROMPT = new AtomicReference<>();

  /** Rewrites by prefixing each draft (keeps every fact); {@code drop} removes a value. */
  private static String rewrite(String prompt, String drop) {
    LAST_PROMPT.set(prompt);
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode turns = root.putArray("turns");
    for (String line : prompt.split("\n")) {
      if (line.startsWith("[{\"")) {
        try {
          for (JsonNode d : Json.MAPPER.readTree(line)) {
            String user = "Well, " + d.path("user_draft").asText();
            turns.addObject().put("user", drop == null ? user
                : user.replaceAll("(?i)" + Pattern.quote(drop), "it"))
                .put("assistant", "Right. " + d.path("assistant_draft").asText());
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return root.toString();
  }

  private static Conversation planned(ToolUseContext ctx, String id, String task, String outcome)
      throws RejectException {
    OfflineGenerator g = new OfflineGenerator(ctx);
    Conversation c = new Conversation(id, "crm-tool-use", task, null, outcome,
        Map.of("style", "casual", "name", "Ada Lovelace", "role", "founder"), null, null, null,
        null, Map.of("goal", "set up a client"), Map.of());
    c = c.withPlan(g.plan(c));
    if (c.isFailure()) {
      c = c.withMetadata("failure_cause", c.plan().steps().stream()
          .filter(s -> s.failing()).findFirst().orElseThrow().cause());
    }
    return g.arguments(c);
  }

  private static ToolUseContext context(FakeLlm model) {
    Inputs in = TestSupport.inputs(TestSupport.CRM, 20);
    Inputs with = new Inputs(in.recipe(), in.family(), in.run(), new RunContext(in.recipe(),
        model, in.context().runId(), in.context().seed()));
    return TestSupport.context(with);
  }

  @Test
  void theModelRewritesLinesWithinTheMovesAndKeepsTheScaffoldsCalls() throws Exception {
    FakeLlm model = FakeLlm.answering((stage, prompt, schema) -> rewrite(prompt, null), null);
    ToolUseContext ctx = context(model);
    Conversation c = planned(ctx, "s7-T002-F-00003", "T002", "failure");
    List<Turn> offline = new OfflineGenerator(ctx).utterances(c);
    try (LlmGenerator g = new LlmGenerator(ctx, new OfflineGenerator(ctx),
        model.open(ctx.prompts(), "utterances", ctx.runId()))) {
      List<Turn> turns = g.utterances(c);
      assertEquals(offline.size(), turns.size());
      for (int i = 0; i < turns.size(); i++) {
        assertEquals("Well, " + offline.get(i).user(), turns.get(i).user());
        assertEquals(offline.get(i).expectedToolCalls(), turns.get(i).expectedToolCalls());
        assertEquals(offline.get(i).toolResults(), turns.get(i).toolResults());
      }
    }
    String prompt = LAST_PROMPT.get();
    assertTrue(prompt.contains("\"move\":\"" + c.plan().script().get(0).kind() + "\""), prompt);
    assertTrue(prompt.contains("failure cause: " + c.metadata().get("failure_cause")), prompt);
    assertTrue(prompt.contains("follow_up: the user asks a question"), prompt);
    assertEquals(1, model.calls("utterances"));
  }

  @Test
  void aRewriteThatLosesAValueIsReaskedOnceThenRejected() throws Exception {
    AtomicReference<String> drop = new AtomicReference<>();
    FakeLlm model = FakeLlm.answering((stage, prompt, schema) -> rewrite(prompt, drop.get()),
        null);
    ToolUseContext ctx = context(model);
    Conversation c = planned(ctx, "s7-T002-S-00004", "T002", "success");
    List<Turn> offline = new OfflineGenerator(ctx).utterances(c);
    String value = offline.stream().flatMap(t -> DraftFacts.userFacts(t).stream()).findFirst()
        .orElseThrow();
    drop.set(value);
    try (LlmGenerator g = new LlmGenerator(ctx, new OfflineGenerator(ctx),
        model.open(ctx.prompts(), "utterances", ctx.runId()))) {
      RejectException e = assertThrows(RejectException.class, () -> g.utterances(c));
      assertEquals("llm_inconsistent", e.reason());
      assertTrue(e.getMessage().contains("must state '" + value + "'"), e.getMessage());
    }
    assertEquals(2, model.calls("utterances"), "one re-ask");
  }
}
