package io.convoforge.family.tooluse.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.convoforge.core.model.ToolCall;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Turn;
import io.convoforge.family.tooluse.sandbox.Replayer;
import io.convoforge.family.tooluse.schema.SchemaLoader;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.Tools;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible agent against a stub chat-completions server on 127.0.0.1. */
class OpenAiAgentTest {
  static final TablesSchema CRM = SchemaLoader.load(Path.of("data/crm/tables.schema.json"));
  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> auth = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/chat/completions", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      bodies.add(body);
      auth.add(ex.getRequestHeaders().getFirst("Authorization"));
      String message = body.contains("\"role\":\"tool\"")
          ? "{\"role\":\"assistant\",\"content\":\"Client CL-000001 is Acme.\"}"
          : "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
              + "\"type\":\"function\",\"function\":{\"name\":\"get_client\","
              + "\"arguments\":\"{\\\"client_id\\\":\\\"CL-000001\\\"}\"}}]}";
      byte[] out = ("{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,"
          + "\"model\":\"stub\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\","
          + "\"message\":" + message + "}]}").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void executesReturnedToolCallsInTheSandboxAndScoresThem() {
    Map<String, Object> client = Map.of("client_id", "CL-000001", "name", "Acme",
        "industry", "Retail", "status", "Active");
    Conversation c = new Conversation("t-1", "test", "T006", null, "success", Map.of(), null,
        Map.of("Client:CL-000001", client),
        List.of(new Turn("Look up client CL-000001, please.",
            List.of(ToolCall.of("get_client", Map.of("client_id", "CL-000001"))), List.of(),
            new Turn.Response("Client CL-000001 is Acme."))),
        null, Map.of(), Map.of());
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    try (OpenAiAgent agent = new OpenAiAgent("stub-model", url, "test-key",
        Tools.derive(CRM).values())) {
      Evaluator.Score s = new Evaluator(new Replayer(CRM, Tools.derive(CRM))).score(c, agent);
      assertTrue(s.exactMatch(), String.valueOf(s));
      assertTrue(s.stateMatch());
      assertTrue(s.success());
      assertEquals(1, s.agentCalls());
    }
    assertEquals(2, bodies.size());
    assertTrue(bodies.get(0).contains("\"tools\"") && bodies.get(0).contains("get_client"));
    assertTrue(bodies.get(1).contains("\"tool_call_id\":\"call_1\""), bodies.get(1));
    assertTrue(bodies.get(1).contains("Acme"), "the tool result goes back to the model");
    assertEquals("Bearer test-key", auth.get(0));
  }
}
