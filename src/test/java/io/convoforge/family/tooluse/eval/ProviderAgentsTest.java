package io.convoforge.family.tooluse.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.llm.LlmAccounting;
import io.convoforge.core.model.Json;
import io.convoforge.core.model.ToolCall;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Turn;
import io.convoforge.family.tooluse.schema.SchemaLoader;
import io.convoforge.family.tooluse.schema.TablesSchema;
import io.convoforge.family.tooluse.schema.Tools;
import io.convoforge.testing.StubAgentServer;
import io.convoforge.testing.StubAgentServer.Answer;
import io.convoforge.testing.StubAgentServer.Call;
import io.convoforge.testing.StubAgentServer.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every provider's agent through its real SDK against {@link StubAgentServer} on 127.0.0.1,
 * speaking that provider's wire format: calls executed in the sandbox and scored, tool results
 * sent back in the provider's shape, a refusal, a malformed call, 429 and 500, the cache, and a
 * fake key that reaches the server but no file.
 */
class ProviderAgentsTest {
  static final TablesSchema CRM = SchemaLoader.load(Path.of("data/crm/tables.schema.json"));
  static final String KEY = "sk-test-FAKEKEY-0123456789";
  static final String LOOK_UP = "Look up client CL-000001, please.";

  @TempDir Path tmp;
  private StubAgentServer stub;

  @BeforeEach
  void key() throws Exception {
    Path env = tmp.resolve("dotenv");
    Files.writeString(env, "OPENAI_API_KEY=" + KEY + "\nANTHROPIC_API_KEY=" + KEY
        + "\nGEMINI_API_KEY=" + KEY + "\n");
    System.setProperty("convoforge.dotenv", env.toString());
  }

  @AfterEach
  void stop() {
    if (stub != null) {
      stub.close();
    }
    System.clearProperty("convoforge.dotenv");
  }

  /** A model that looks the client up, then answers with what it read. */
  static Answer lookUp(StubAgentServer.Seen s) {
    return s.toolResults() == 0
        ? Answer.calls(new Call("get_client", "{\"client_id\":\"CL-000001\"}"))
        : Answer.text("Client CL-000001 is Acme.");
  }

  static Conversation conversation(String id) {
    Map<String, Object> client = Map.of("client_id", "CL-000001", "name", "Acme",
        "industry", "Retail", "status", "Active");
    return new Conversation(id, "test", "T006", "CHAIN-006A", "success", Map.of(), null,
        Map.of("Client:CL-000001", client),
        List.of(new Turn(LOOK_UP,
            List.of(ToolCall.of("get_client", Map.of("client_id", "CL-000001"))), List.of(),
            new Turn.Response("Client CL-000001 is Acme."))),
        null, Map.of(), Map.of());
  }

  private Agent agent(String provider, String cache) {
    Map<String, Object> llm = new LinkedHashMap<>();
    llm.put("cache", cache);
    llm.put("max_attempts", 3);
    llm.put("backoff_ms", 5);
    llm.put("project", "p");
    llm.put("location", "us-east5");
    String model = provider.startsWith("anthropic") ? "claude-test" : "model-test";
    return Agents.agent(provider + ":" + model, llm, Map.of(provider, stub.url(provider)),
        Tools.derive(CRM).values(), "test-" + UUID.randomUUID());
  }

  private List<Evaluator.Score> play(Agent a, LlmAccounting.Tally tally, String... ids) {
    List<Conversation> convs = Stream.of(ids).map(ProviderAgentsTest::conversation).toList();
    return new Evaluator(CRM).play(convs, a, null, 1, tally, new LlmAccounting.Tally());
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "anthropic", "gemini", "vertex", "anthropic-vertex"})
  void playsTheTurnInTheProvidersWireFormat(String provider) throws Exception {
    stub = StubAgentServer.start(ProviderAgentsTest::lookUp);
    try (Agent a = agent(provider, "off")) {
      Evaluator.Score s = play(a, new LlmAccounting.Tally(), "c-1").get(0);
      assertNull(s.error());
      assertTrue(s.exactMatch() && s.stateMatch() && s.success(), String.valueOf(s));
      assertEquals("Client CL-000001 is Acme.", s.turns().get(0).reply());
      assertEquals("Acme", ((Map<?, ?>) s.turns().get(0).results().get(0).output()).get("name"));
    }
    assertEquals(2, stub.requests());
    String second = stub.bodies().get(1);
    switch (provider) {
      case "openai":
        assertTrue(stub.bodies().get(0).contains("\"tools\""));
        assertTrue(second.contains("\"role\":\"tool\"") && second.contains("\"tool_call_id\""),
            second);
        assertTrue(stub.credentials().contains("authorization: Bearer " + KEY));
        break;
      case "anthropic":
      case "anthropic-vertex":
        assertTrue(stub.bodies().get(0).contains("\"input_schema\""));
        assertTrue(second.contains("\"type\":\"tool_use\"")
            && second.contains("\"type\":\"tool_result\"")
            && second.contains("\"tool_use_id\""), second);
        if ("anthropic".equals(provider)) {
          // The SDK sends the key as x-api-key or (3.x) a bearer token: either way, it arrives.
          assertTrue(stub.credentials().stream().allMatch(h -> h.endsWith(KEY)),
              stub.credentials().toString());
        } else {
          assertTrue(stub.paths().get(0).matches(
              ".*/projects/p/locations/us-east5/publishers/anthropic/models/claude-test"
                  + ":rawPredict"), stub.paths().get(0));
          assertTrue(second.contains("\"anthropic_version\""), second);
        }
        break;
      default:
        assertTrue(stub.bodies().get(0).contains("\"functionDeclarations\""));
        assertTrue(second.contains("\"functionCall\"") && second.contains("\"functionResponse\""),
            second);
        if ("vertex".equals(provider)) {
          assertTrue(stub.paths().get(0).contains("/projects/p/locations/us-east5/"),
              stub.paths().get(0));
        } else {
          assertTrue(stub.credentials().contains("x-goog-api-key: " + KEY));
        }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "anthropic", "gemini", "vertex", "anthropic-vertex"})
  void aRefusalIsARecordedReplyNotACrash(String provider) throws Exception {
    stub = StubAgentServer.start(s -> Answer.refusal("I can't help with that."));
    try (Agent a = agent(provider, "off")) {
      Evaluator.Score s = play(a, new LlmAccounting.Tally(), "c-1").get(0);
      assertNull(s.error());
      assertEquals(1, s.refusals());
      assertEquals(0, s.agentCalls());
      assertFalse(s.success());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "anthropic", "gemini", "vertex", "anthropic-vertex"})
  void aMalformedCallIsCountedAndNeverExecuted(String provider) throws Exception {
    stub = StubAgentServer.start(s -> s.toolResults() == 0 ? Answer.malformed("get_client")
        : Answer.text("Sorry, that went wrong."));
    try (Agent a = agent(provider, "off")) {
      Evaluator.Score s = play(a, new LlmAccounting.Tally(), "c-1").get(0);
      assertNull(s.error());
      assertEquals(1, s.malformedCalls());
      assertEquals(0, s.agentCalls(), "a malformed call is not executed");
      assertFalse(s.exactMatch());
    }
    if (provider.startsWith("openai") || provider.startsWith("anthropic")) {
      assertEquals(2, stub.requests(), "the error went back to the model");
      assertTrue(stub.bodies().get(1).contains("invalid_arguments"), stub.bodies().get(1));
    } else {
      assertEquals(1, stub.requests(), "a MALFORMED_FUNCTION_CALL finish ends the turn");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "anthropic", "gemini", "vertex", "anthropic-vertex"})
  void a429IsRetriedAndCounted(String provider) throws Exception {
    stub = StubAgentServer.start(ProviderAgentsTest::lookUp).fault(Fault.RATE_LIMIT, 2);
    LlmAccounting.Tally tally = new LlmAccounting.Tally();
    try (Agent a = agent(provider, "off")) {
      Evaluator.Score s = play(a, tally, "c-1").get(0);
      assertTrue(s.success(), String.valueOf(s));
    }
    assertEquals(4, stub.requests());
    assertEquals(2L, tally.totals().get("rate_limited"));
    assertEquals(2L, tally.totals().get("retries"));
    assertTrue((Long) tally.totals().get("tokens_in") > 0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "anthropic", "gemini", "vertex", "anthropic-vertex"})
  void a500ThatOutlastsTheRetriesFailsOnlyItsConversation(String provider) throws Exception {
    stub = StubAgentServer.start(ProviderAgentsTest::lookUp).fault(Fault.SERVER_ERROR, 3);
    try (Agent a = agent(provider, "off")) {
      List<Evaluator.Score> s = play(a, new LlmAccounting.Tally(), "c-1", "c-2");
      assertTrue(s.get(0).error() != null && s.get(0).error().contains("HTTP 500"),
          String.valueOf(s.get(0)));
      assertFalse(s.get(0).success());
      assertNull(s.get(1).error());
      assertTrue(s.get(1).success(), "the next conversation still plays");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "anthropic", "gemini", "vertex", "anthropic-vertex"})
  void aRerunIsServedFromTheCacheAndTheKeyIsWrittenNowhere(String provider) throws Exception {
    stub = StubAgentServer.start(ProviderAgentsTest::lookUp);
    Path cache = tmp.resolve("cache");
    Path results = tmp.resolve("results.json");
    try (Agent a = agent(provider, cache.toString())) {
      List<Evaluator.Score> s = play(a, new LlmAccounting.Tally(), "c-1", "c-2");
      Files.writeString(results, Json.write(EvalReport.results(a.name(), null, s, Map.of())));
    }
    int calls = stub.requests();
    assertEquals(4, calls);
    LlmAccounting.Tally again = new LlmAccounting.Tally();
    try (Agent a = agent(provider, cache.toString())) {
      assertTrue(play(a, again, "c-1", "c-2").stream().allMatch(Evaluator.Score::success));
    }
    assertEquals(calls, stub.requests(), "the rerun made no call");
    assertEquals(4L, again.totals().get("cache_hits"));
    try (Stream<Path> files = Stream.concat(Files.walk(cache), Stream.of(results))) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        assertFalse(Files.readString(f).contains("FAKEKEY"), "key leaked into " + f);
      }
    }
  }
}
