package io.convoforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.TestSupport;
import io.convoforge.testing.Cli;
import io.convoforge.testing.StubLlmServer;
import io.convoforge.testing.StubLlmServer.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose every call is refused the same way (a wrong key) stops early with one message
 * naming the cause, exit 1, and leaves an earlier output in place.
 */
class RunStopsEarlyTest {
  private static final int COUNT = 40;
  @TempDir Path tmp;

  @Test
  void aRunWhoseEveryCallIsRefusedStopsWithOneClearMessage() throws Exception {
    try (StubLlmServer stub = StubLlmServer.start(1)) {
      stub.fault(Fault.UNAUTHORIZED, null, -1);
      Path out = tmp.resolve("out");
      TestSupport.write(out, "earlier.txt", "an earlier dataset");
      Cli.Outcome o = Cli.run("run", TestSupport.CRM.toString(), "--backend", "openai",
          "--base-url", stub.openAiUrl(), "--count", String.valueOf(COUNT), "--cache",
          tmp.resolve("cache").toString(), "--out", out.toString(), "--overwrite",
          "--max-concurrency", "2", "--set", "stages=[sample,plan]",
          "--set", "llm.stop_after_errors=5");
      assertEquals(1, o.code(), o.err());
      // Two calls run at once, so the breaker may count one more failure before it trips.
      assertTrue(o.err().matches("(?s)error: stopped early: the last [56] calls to openai failed"
          + " with the same permanent error, HTTP 401, and none succeeded in between.*"), o.err());
      assertTrue(o.err().contains("check OPENAI_API_KEY"), o.err());
      assertEquals(2, o.err().lines().count(), "one paragraph and the usual note: " + o.err());
      assertTrue(stub.requests("plan") < COUNT, "stopped before spending the whole input: "
          + stub.requests("plan") + " calls");
      assertEquals("an earlier dataset", Files.readString(out.resolve("earlier.txt")));
    }
  }
}
