package io.convoforge.family.tooluse.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.model.ToolCall;
import io.convoforge.core.model.ToolResult;
import io.convoforge.family.tooluse.gen.Keys;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.schema.SchemaLoader;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.ToolSpec;
import io.convoforge.family.tooluse.schema.Tools;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxTest {
  static final TablesSchema CRM = SchemaLoader.load(Path.of("data/crm/tables.schema.json"));
  static final Map<String, ToolSpec> TOOLS = Tools.derive(CRM);

  private static Sandbox open(String id) {
    return Sandbox.open(CRM, TOOLS, SandboxDdl.of(CRM), id, new ValueGenerator());
  }

  private static Map<String, Object> client(String id, String name) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("client_id", id);
    m.put("name", name);
    m.put("industry", "Retail");
    m.put("status", "Active");
    return m;
  }

  @Test
  void executesEveryActionAsSqlWithMemoryStoreShapes() {
    try (Sandbox sb = open("c-1")) {
      assertTrue(sb.seedAll(Map.of("Client:CL-000001", client("CL-000001", "Acme"))).isEmpty());
      Map<String, Object> contact = new LinkedHashMap<>();
      contact.put("client_id", "CL-000001");
      contact.put("first_name", "Ada");
      contact.put("last_name", "Lovelace");
      contact.put("email", "ada@acme.com");
      ToolResult created = sb.execute(ToolCall.of("create_contact", contact));
      assertTrue(created.ok(), String.valueOf(created));
      Object key = Keys.created(new ValueGenerator(), CRM.table("Contact"), "c-1", 0);
      assertEquals(Map.of("contact_id", key), created.output());

      ToolResult got = sb.execute(ToolCall.of("get_contact", Map.of("contact_id", key)));
      assertEquals("Ada", ((Map<?, ?>) got.output()).get("first_name"));
      ToolResult found = sb.execute(ToolCall.of("search_contact", Map.of("last_name",
          "Lovelace")));
      assertEquals(1, ((List<?>) ((Map<?, ?>) found.output()).get("results")).size());
      ToolResult updated = sb.execute(ToolCall.of("update_contact", Map.of("contact_id", key,
          "title", "CTO")));
      assertEquals("CTO", ((Map<?, ?>) updated.output()).get("title"));
      ToolResult deleted = sb.execute(ToolCall.of("delete_contact", Map.of("contact_id", key)));
      assertEquals(Map.of("contact_id", key, "deleted", true), deleted.output());
      assertEquals("not_found",
          sb.execute(ToolCall.of("get_contact", Map.of("contact_id", key))).error().code());
    }
  }

  @Test
  void mapsViolationsToApiErrors() {
    try (Sandbox sb = open("c-2")) {
      sb.seedAll(Map.of("Client:CL-000001", client("CL-000001", "Acme")));
      Map<String, Object> opp = new LinkedHashMap<>();
      opp.put("client_id", "CL-999999");
      opp.put("name", "Big deal");
      opp.put("stage", "Proposal");
      opp.put("amount", 1000.0);
      ToolResult bad = sb.execute(ToolCall.of("create_opportunity", opp));
      assertEquals("invalid_reference", bad.error().code());
      assertEquals("Client CL-999999 referenced by client_id does not exist.",
          bad.error().message());

      Map<String, Object> dup = client("CL-000002", "Acme");
      dup.remove("client_id");
      assertEquals("conflict", sb.execute(ToolCall.of("create_client", dup)).error().code());

      opp.put("client_id", "CL-000001");
      opp.put("stage", "Dreaming");
      ToolResult check = sb.execute(ToolCall.of("create_opportunity", opp));
      assertEquals("constraint_violation", check.error().code());
      assertTrue(check.error().message().contains("stage"), check.error().message());

      opp.put("stage", "Proposal");
      opp.put("amount", -5.0);
      assertEquals("constraint_violation",
          sb.execute(ToolCall.of("create_opportunity", opp)).error().code());
    }
  }

  @Test
  void reportsSeedProblemsForRepair() {
    try (Sandbox sb = open("c-3")) {
      Map<String, Object> contact = new LinkedHashMap<>();
      contact.put("contact_id", "6f1c2a4e-0000-4000-8000-000000000001");
      contact.put("client_id", "CL-123456");
      contact.put("last_name", "Hopper");
      contact.put("email", "grace@navy.mil");
      List<Sandbox.Problem> problems = sb.seedAll(
          Map.of("Contact:6f1c2a4e-0000-4000-8000-000000000001", contact));
      assertEquals(1, problems.size());
      assertEquals("seed_missing_column", problems.get(0).type());
      assertEquals("first_name", problems.get(0).column());
      contact.put("first_name", "Grace");
      problems = sb.seedAll(Map.of("Contact:6f1c2a4e-0000-4000-8000-000000000001", contact));
      assertEquals("seed_missing_parent", problems.get(0).type());
      assertEquals("CL-123456", problems.get(0).value());
      assertFalse(sb.exists("Contact", "6f1c2a4e-0000-4000-8000-000000000001"));
    }
  }
}
