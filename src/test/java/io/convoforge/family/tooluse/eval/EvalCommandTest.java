package io.convoforge.family.tooluse.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.TestSupport;
import io.convoforge.cli.Main;
import io.convoforge.core.model.Json;
import io.convoforge.core.run.Job;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.testing.Cli;
import io.convoforge.testing.StubAgentServer;
import io.convoforge.testing.StubAgentServer.Answer;
import io.convoforge.testing.StubLlmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval} and {@code gates --baseline} on a small chains dataset: the mock baseline on a
 * stratified sample, several provider agents side by side with a judge, the difficulty band
 * gate passing, failing and skipped, and bad input named with exit 2.
 */
class EvalCommandTest {
  @TempDir static Path shared;
  static Path data;
  @TempDir Path tmp;


  @BeforeAll
  static void dataset() {
    data = shared.resolve("data");
    Job.run(new Job.Request(TestSupport.CHAINS, List.of(
        "stages=[sample, plan, args, utterances, judge, filter, repair, enrich]"), 12, data, true,
        List.of()));
  }

  @AfterEach
  void clear() {
    System.clearProperty("convoforge.dotenv");
  }


  @Test
  void aSampleIsDeterministicStratifiedAndSeeded() {
    List<Conversation> all = TestSupport.conversations(data);
    List<Conversation> a = Sampler.sample(all, 6, 7, "chain");
    assertEquals(6, a.size());
    List<Conversation> reversed = new java.util.ArrayList<>(all);
    java.util.Collections.reverse(reversed);
    assertEquals(ids(a), ids(Sampler.sample(reversed, 6, 7, "chain")),
        "independent of the reading order");
    assertNotEquals(ids(a), ids(Sampler.sample(all, 6, 8, "chain")), "another seed");
    Map<String, Integer> byChain = new TreeMap<>();
    all.forEach(c -> byChain.merge(c.chainId(), 1, Integer::sum));
    Map<String, Integer> sampled = new TreeMap<>();
    a.forEach(c -> sampled.merge(c.chainId(), 1, Integer::sum));
    byChain.forEach((chain, n) -> assertTrue(
        Math.abs(sampled.getOrDefault(chain, 0) - n * 6.0 / all.size()) < 1.0,
        chain + ": " + sampled + " of " + byChain));
    assertEquals(all.size(), Sampler.sample(all, 1000, 7, "task").size());
  }

  private static List<String> ids(List<Conversation> cs) {
    return cs.stream().map(Conversation::id).toList();
  }

  @Test
  void theMockBaselineOnASampleFeedsTheDifficultyBandGate() throws Exception {
    Path out = tmp.resolve("mock");
    Cli.Outcome o = Cli.run("eval", data.toString(), "--agent", "mock", "--sample", "8", "--seed", "3",
        "--out", out.toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("8 conversations (sample of "), o.out());
    JsonNode r = Json.MAPPER.readTree(Files.readString(out.resolve("results-mock.json")));
    assertEquals(1.0, r.path("overall").path("pass_rate").asDouble());
    assertEquals(8, r.path("conversations").size());
    assertEquals(3, r.path("sample").path("seed").asInt());
    assertTrue(Files.readString(out.resolve("table.txt")).contains("chain CHAIN-002A"));
    Path again = tmp.resolve("again");
    assertEquals(0, Cli.run("eval", data.toString(), "--agent", "mock", "--sample", "8", "--seed",
        "3", "--out", again.toString()).code());
    assertEquals(Files.readString(out.resolve("results-mock.json")),
        Files.readString(again.resolve("results-mock.json")), "byte-identical on a rerun");

    String results = out.resolve("results-mock.json").toString();
    Cli.Outcome skipped = Cli.run("gates", data.toString());
    assertEquals(0, skipped.code(), skipped.err());
    assertTrue(skipped.out().matches("(?s).*difficulty_band .*not measured.*SKIP.*"),
        skipped.out());
    Cli.Outcome pass = Cli.run("gates", data.toString(), "--baseline", results, "--set",
        "gates.difficulty_band={min: 0.9, max: 1.0, agent: mock}");
    assertEquals(0, pass.code(), pass.out() + pass.err());
    Cli.Outcome fail = Cli.run("gates", data.toString(), "--baseline", results, "--set",
        "gates.difficulty_band={min: 0.55, max: 0.65, agent: mock}");
    assertEquals(Main.FAILED, fail.code());
    assertTrue(fail.err().contains("gates failed: difficulty_band"), fail.err());
    Path other = tmp.resolve("other.json");
    // Results of another dataset of the same size: only the digest of its ids tells them apart.
    Files.writeString(other, Files.readString(Path.of(results)).replaceFirst(
        "\"ids_digest\" : \"[0-9a-f]{16}\"", "\"ids_digest\" : \"0123456789abcdef\""));
    Cli.Outcome foreign = Cli.run("gates", data.toString(), "--baseline", other.toString(), "--set",
        "gates.difficulty_band={min: 0.9, max: 1.0, agent: mock}");
    assertEquals(Main.FAILED, foreign.code(), foreign.out());
    assertTrue(foreign.out().contains("results of another dataset (12 conversations, ids digest"
        + " 0123456789abcdef; this one: 12, "),
        foreign.out());
    Cli.Outcome shipped = Cli.run("gates", data.toString(), "--baseline", results);
    assertEquals(Main.FAILED, shipped.code(), "the shipped band wants gpt-4.1-mini's results");
    assertTrue(shipped.out().contains("no results of openai:gpt-4.1-mini"), shipped.out());
  }

  @Test
  void severalAgentsSideBySideWithAJudge() throws Exception {
    Path env = tmp.resolve("dotenv");
    Files.writeString(env, "OPENAI_API_KEY=k1\nANTHROPIC_API_KEY=k2\nGEMINI_API_KEY=k3\n");
    System.setProperty("convoforge.dotenv", env.toString());
    Path out = tmp.resolve("two");
    try (StubAgentServer agents = StubAgentServer.start(s -> Answer.text("Done."));
        StubLlmServer judge = StubLlmServer.start(0)) {
      Cli.Outcome o = Cli.run("eval", data.toString(), "--agent", "openai:gpt-test", "--agent",
          "anthropic:claude-test", "--judge", "gemini:judge-test", "--sample", "5",
          "--base-url", agents.url("openai"), "--base-url",
          "anthropic=" + agents.url("anthropic"), "--base-url", "gemini=" + judge.genAiUrl(),
          "--cache", tmp.resolve("cache").toString(), "--out", out.toString());
      assertEquals(0, o.code(), o.err());
      assertTrue(o.out().contains("openai:gpt-test") && o.out().contains("anthropic:claude-test"),
          o.out());
      assertTrue(o.out().contains("cost judge"), o.out());
      assertTrue(judge.requests() > 0);
    }
    for (String f : List.of("results-openai-gpt-test.json", "results-anthropic-claude-test.json")) {
      JsonNode r = Json.MAPPER.readTree(Files.readString(out.resolve(f)));
      assertEquals("gemini:judge-test", r.path("judge").asText());
      JsonNode turn = r.path("conversations").path(0).path("turns").path(0);
      assertEquals("Done.", turn.path("reply").asText());
      assertTrue(turn.path("judge").path("faithful").path("passed").isBoolean(), turn.toString());
      assertTrue(r.path("overall").path("judge").path("replies").asInt() > 0);
      assertTrue(r.path("cost").path("agent").path("calls").asInt() > 0);
      assertEquals(0, r.path("errors").size(), r.path("errors").toString());
    }
  }

  @Test
  void anAgentThatNeverAnswersFailsTheCommandButEachConversationIsRecorded() throws Exception {
    Path env = tmp.resolve("dotenv");
    Files.writeString(env, "OPENAI_API_KEY=sk-FAKEKEY-wrong\n");
    System.setProperty("convoforge.dotenv", env.toString());
    Path out = tmp.resolve("dead");
    try (StubAgentServer stub = StubAgentServer.start(s -> Answer.text("Done."))
        .fault(StubAgentServer.Fault.UNAUTHORIZED, 100)) {
      Cli.Outcome o = Cli.run("eval", data.toString(), "--agent", "openai:gpt-test", "--sample", "4",
          "--base-url", stub.url("openai"), "--cache", "off", "--out", out.toString());
      assertEquals(Main.FAILED, o.code(), o.out() + o.err());
      assertTrue(o.err().contains("openai:gpt-test failed on all 4 conversations")
          && o.err().contains("HTTP 401"), o.err());
      assertEquals(4, stub.requests(), "a 401 is permanent: no retry");
      assertFalse((o.out() + o.err()).contains("FAKEKEY"));
    }
    JsonNode r = Json.MAPPER.readTree(Files.readString(out.resolve("results-openai-gpt-test.json")));
    assertEquals(4, r.path("errors").size());
    assertEquals(4, r.path("overall").path("errors").asInt());
  }

  @Test
  void badInputIsNamedWithExit2() throws Exception {
    Path env = tmp.resolve("empty.env");
    Files.writeString(env, "");
    System.setProperty("convoforge.dotenv", env.toString());
    Cli.Outcome unknown = Cli.run("eval", data.toString(), "--agent", "cohere:command");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("--agent cohere:command") && unknown.err().contains(
        "PROVIDER:MODEL"), unknown.err());
    Cli.Outcome noKey = Cli.run("eval", data.toString(), "--agent", "anthropic:claude-sonnet-4-5");
    assertEquals(2, noKey.code());
    assertTrue(noKey.err().contains("ANTHROPIC_API_KEY"), noKey.err());
    assertFalse(noKey.err().contains("\tat "), "no stack trace");
    Cli.Outcome claudeOnGemini = Cli.run("eval", data.toString(), "--agent", "vertex:claude-x");
    assertTrue(claudeOnGemini.err().contains("anthropic-vertex:claude-x"), claudeOnGemini.err());
    Path junk = tmp.resolve("junk.json");
    Files.writeString(junk, "not json");
    Cli.Outcome badBaseline = Cli.run("gates", data.toString(), "--baseline", junk.toString());
    assertEquals(2, badBaseline.code());
    assertTrue(badBaseline.err().contains("--baseline " + junk), badBaseline.err());
    Path empty = tmp.resolve("empty.json");
    Files.writeString(empty, "{\"agent\": \"mock\"}");
    Cli.Outcome noBand = Cli.run("gates", data.toString(), "--baseline", empty.toString(), "--set",
        "gates.difficulty_band=null");
    assertEquals(2, noBand.code(), noBand.out() + noBand.err());
    assertTrue(noBand.err().contains("declares no gates.difficulty_band"), noBand.err());
  }
}
