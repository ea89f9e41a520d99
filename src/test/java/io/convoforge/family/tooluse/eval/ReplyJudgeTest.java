package io.convoforge.family.tooluse.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.testing.FakeLlm;
import io.convoforge.testing.StubAgentServer;
import io.convoforge.testing.StubAgentServer.Answer;
import io.convoforge.testing.StubAgentServer.Call;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reply judge's grades in the scores and the report, through the real LLM session. */
class ReplyJudgeTest {
  static final String INCOMPLETE = "{\"correct\": {\"passed\": true, \"detail\": \"same call\"},"
      + " \"faithful\": {\"passed\": true, \"detail\": \"from the result\"},"
      + " \"complete\": {\"passed\": false, \"detail\": \"omits the industry\"}}";

  private static Evaluator.Score played(Conversation c) {
    return new Evaluator(ProviderAgentsTest.CRM).score(c, new MockAgent());
  }

  @Test
  void aFailedCriterionFailsTheConversationThatSucceeded() {
    Conversation c = ProviderAgentsTest.conversation("j-1");
    FakeLlm fake = FakeLlm.answering((stage, prompt, schema) -> {
      assertTrue(prompt.contains("Client CL-000001 is Acme."), "the reply is in the prompt");
      assertTrue(prompt.contains("\"name\":\"Acme\""), "so are the real results");
      return INCOMPLETE;
    }, null);
    try (ReplyJudge judge = new ReplyJudge("fake:judge", fake, null, "judge-test")) {
      Evaluator.Score s = Evaluator.judge(c, played(c), judge, "mock");
      assertTrue(s.success());
      assertTrue(s.judged());
      assertFalse(s.passed());
      ReplyJudge.Criterion complete = s.turns().get(0).judge().criteria().get("complete");
      assertEquals("omits the industry", complete.reason());
      Map<String, Object> overall = (Map<String, Object>) EvalReport.of("mock", "fake:judge",
          List.of(s)).get("overall");
      assertEquals(1.0, overall.get("success_rate"));
      assertEquals(0.0, overall.get("pass_rate"));
      assertEquals(0.0, ((Map<?, ?>) overall.get("judge")).get("complete"));
      assertEquals(1.0, ((Map<?, ?>) overall.get("judge")).get("faithful"));
    }
  }

  @Test
  void aClaudeJudgeAnswersThroughAForcedTool(@TempDir Path tmp) throws Exception {
    Path env = tmp.resolve("dotenv");
    Files.writeString(env, "ANTHROPIC_API_KEY=k\n");
    System.setProperty("convoforge.dotenv", env.toString());
    Conversation c = ProviderAgentsTest.conversation("j-3");
    try (StubAgentServer stub = StubAgentServer.start(
        s -> Answer.calls(new Call("convoforge_eval_judge", INCOMPLETE)));
        ReplyJudge judge = Agents.judge("anthropic:claude-test", Map.of("cache", "off"),
            Map.of("anthropic", stub.url("anthropic")), null, "judge-test-3")) {
      Evaluator.Score s = Evaluator.judge(c, played(c), judge, "mock");
      assertFalse(s.turns().get(0).judge().criteria().get("complete").passed(),
          String.valueOf(s.turns().get(0).judge()));
      String body = stub.bodies().get(0);
      assertTrue(body.contains("\"tool_choice\"") && body.contains("convoforge_eval_judge"),
          body);
    } finally {
      System.clearProperty("convoforge.dotenv");
    }
  }

  @Test
  void aJudgeThatCannotAnswerIsRecordedAndDoesNotPass() {
    Conversation c = ProviderAgentsTest.conversation("j-2");
    FakeLlm fake = FakeLlm.answering((stage, prompt, schema) -> INCOMPLETE, null)
        .failing(ReplyJudge.STAGE, FakeLlm.Fault.PERMANENT, 1);
    try (ReplyJudge judge = new ReplyJudge("fake:judge", fake, null, "judge-test-2")) {
      Evaluator.Score s = Evaluator.judge(c, played(c), judge, "mock");
      assertFalse(s.passed());
      assertTrue(s.turns().get(0).judge().error().startsWith("llm_error"),
          s.turns().get(0).judge().error());
      List<?> errors = (List<?>) EvalReport.of("mock", "fake:judge", List.of(s)).get("errors");
      assertEquals(1, errors.size(), "nothing lost silently");
    }
  }
}
