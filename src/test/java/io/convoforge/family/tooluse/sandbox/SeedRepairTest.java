package io.convoforge.family.tooluse.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Turn;
import io.convoforge.family.tooluse.schema.Tools;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeedRepairTest {
  private final Replayer replayer = new Replayer(SandboxTest.CRM, Tools.derive(SandboxTest.CRM));
  private final SeedRepair repair = new SeedRepair(SandboxTest.CRM, replayer, 7);

  private static Conversation conv(String outcome, Map<String, Map<String, Object>> seeds,
      Turn... turns) {
    return new Conversation("r-" + outcome, "test", "T", null, outcome, Map.of(), null, seeds,
        List.of(turns), null, Map.of(), Map.of());
  }

  @Test
  void completesSeedsAndAddsMissingRowsUsingWhatTheDialogueStates() {
    String contactId = "6f1c2a4e-0000-4000-8000-000000000001";
    Map<String, Object> contact = new LinkedHashMap<>();
    contact.put("contact_id", contactId);
    contact.put("client_id", "CL-123456");
    contact.put("last_name", "Hopper");
    contact.put("email", "grace@navy.mil");
    Map<String, Object> shown = Map.of("opportunity_id", "OPP-000042", "client_id", "CL-123456",
        "name", "Navy rollout", "stage", "Proposal", "amount", 1200.0);
    Conversation c = conv("success", Map.of("Contact:" + contactId, contact),
        new Turn("Show me opportunity OPP-000042.",
            List.of(ToolCall.of("get_opportunity", Map.of("opportunity_id", "OPP-000042"))),
            List.of(ToolResult.success("get_opportunity", shown)), new Turn.Response("x")));
    SeedRepair.Outcome o = repair.repair(c);
    assertTrue(o.repaired(), o.rejectReason() + ": " + o.rejectDetail());
    assertEquals(1L, o.prerepairFailures().get("seed_missing_column"));
    assertEquals(1L, o.prerepairFailures().get("seed_missing_parent"));
    assertEquals(1L, o.prerepairFailures().get("not_found"));
    Map<String, Object> opp = o.conversation().initialEntities().get("Opportunity:OPP-000042");
    assertEquals("Navy rollout", opp.get("name"), "the stated row is the seed");
    assertEquals(0, replayer.replay(o.conversation(), false).failures());
  }

  @Test
  void rejectsAnIntendedFailureThatCannotHappen() {
    Map<String, Object> client = Map.of("client_id", "CL-000001", "name", "Acme",
        "industry", "Retail", "status", "Active");
    Conversation c = conv("failure", Map.of("Client:CL-000001", client),
        new Turn("Get client CL-000001.",
            List.of(new ToolCall("get_client", Map.of("client_id", "CL-000001"), "not_found")),
            List.of(), new Turn.Response("x")));
    SeedRepair.Outcome o = repair.repair(c);
    assertFalse(o.repaired());
    assertEquals("unrepairable:intended_failure_succeeded", o.rejectReason());
  }
}
