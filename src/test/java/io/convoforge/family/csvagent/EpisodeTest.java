package io.convoforge.family.csvagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.model.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EpisodeTest {
  @Test
  void everyToolCallIsAnsweredByItsToolMessageWithTheRealResult() throws Exception {
    CsvTable t = Fixtures.table("bäckerei_verkäufe.csv");
    Profile p = Fixtures.profile("bäckerei_verkäufe.csv");
    ScriptedSolver solver = ScriptedSolver.create().withExploreRate(0.6).withTypoRate(0.5)
        .withWrongRate(0.3);
    try (SqlDatabase db = SqlDatabase.load(t, p, SqlSandbox.Limits.defaults())) {
      for (Question q : QuestionGenerator.synthetic(t, p, 12, 2L)) {
        for (Episode e : solver.traces(q, p, db, 3, 6L)) {
          assertWellFormed(e, q, db);
        }
      }
    }
  }

  private static void assertWellFormed(Episode e, Question q, SqlDatabase db) throws Exception {
    List<ChatMessage> m = e.messages();
    assertEquals("system", m.get(0).role());
    for (SqlDatabase.Column c : db.schema()) {
      assertTrue(m.get(0).content().contains(Sql.ident(c.name()) + " " + c.type()),
          "schema in the system message: " + c);
    }
    assertEquals("user", m.get(1).role());
    assertEquals(q.text(), m.get(1).content());
    assertEquals(2 + 2 * e.trace().size() + 1, m.size());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < e.trace().size(); i++) {
      ChatMessage call = m.get(2 + 2 * i);
      ChatMessage result = m.get(3 + 2 * i);
      TraceStep step = e.trace().get(i);
      assertEquals("assistant", call.role());
      assertEquals(1, call.toolCalls().size());
      ChatMessage.ToolCall tc = call.toolCalls().get(0);
      assertTrue(ids.add(tc.id()), "tool call ids are unique");
      assertEquals("function", tc.type());
      assertEquals(ChatMessage.RUN_SQL, tc.function().name());
      assertEquals(step.sql(), Json.MAPPER.readTree(tc.function().arguments()).get("sql").asText());
      assertEquals("tool", result.role());
      assertEquals(tc.id(), result.toolCallId());
      JsonNode observed = Json.MAPPER.readTree(result.content());
      if (step.ok()) {
        assertEquals(step.rowCount(), observed.get("row_count").asLong());
        assertEquals(Json.write(step.rows()), observed.get("rows").toString());
      } else {
        assertEquals(step.error(), observed.get("error").asText());
      }
    }
    ChatMessage last = m.get(m.size() - 1);
    assertEquals("assistant", last.role());
    assertNull(last.toolCalls());
    assertNotNull(e.answer());
    assertTrue(last.content().contains(Answers.format(e.answer())), last.content());
    assertEquals(Json.tree(EpisodeRecorder.TOOLS), Json.tree(e.tools()));
  }

  @Test
  void serialisesInOpenAiChatFormat() throws Exception {
    CsvTable t = Fixtures.table("orders.csv");
    Profile p = Fixtures.profile("orders.csv");
    Question q = QuestionGenerator.synthetic(t, p, 3, 1L).get(1);
    try (SqlSandbox s = SqlSandbox.open(t, p)) {
      Episode e = ScriptedSolver.create().withWrongRate(0).solve(q, p, s, 1L, 0);
      JsonNode json = Json.MAPPER.readTree(Json.write(e));
      JsonNode call = json.get("messages").get(2);
      assertTrue(call.has("tool_calls"), call.toString());
      assertFalse(call.has("tool_call_id"));
      assertEquals("run_sql", call.at("/tool_calls/0/function/name").asText());
      assertTrue(call.at("/tool_calls/0/function/arguments").isTextual());
      assertTrue(json.get("messages").get(3).has("tool_call_id"));
      assertFalse(json.get("messages").get(1).has("tool_calls"), "nulls are left out");
      assertTrue(json.get("trace").get(0).has("row_count"));
      assertEquals(q.id() + "#0", json.get("id").asText());
      assertEquals(e.answer(), Json.read(Json.write(e), Episode.class).answer());
    }
  }

  @Test
  void runningOutOfTurnsEndsWithoutAnAnswer() {
    CsvTable t = Fixtures.table("orders.csv");
    Profile p = Fixtures.profile("orders.csv");
    Question q = QuestionGenerator.synthetic(t, p, 1, 1L).get(0);
    try (SqlSandbox s = SqlSandbox.open(t, p)) {
      EpisodeRecorder rec = new EpisodeRecorder(q, s, 1);
      rec.step(null, "SELECT ordr FROM orders");
      assertFalse(rec.canStep());
      Episode e = rec.answer(0, Answers.of("count", rec.lastOk()), null);
      assertNull(e.answer());
      assertTrue(e.messages().get(e.messages().size() - 1).content().contains("could not"));
    }
  }
}
