package io.convoforge.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.convoforge.core.run.Inputs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backend: auto}: an LLM backend whose key is present (OpenAI first, then Gemini), else
 * offline; the run says which and why in one line, without the key, and its run id names the
 * backend really used. Keys come from a temporary .env (never a real one).
 */
class BackendsTest {
  private static final Path ECHO = Path.of("src/test/resources/echo/echo.yaml");
  private static final String FAKE_KEY = "sk-test-NOT-A-REAL-KEY-123";
  @TempDir Path tmp;

  @BeforeEach
  void noKeyInTheEnvironment() {
    assumeTrue(Stream.of("OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY")
        .allMatch(k -> System.getenv(k) == null), "a key is set in this environment");
  }

  @AfterEach
  void restore() {
    System.clearProperty("convoforge.dotenv");
  }

  private void dotenv(String content) throws Exception {
    Path env = Files.writeString(tmp.resolve(".env"), content);
    System.setProperty("convoforge.dotenv", env.toString());
  }

  @Test
  void autoPicksOpenAiThenGeminiThenOffline() throws Exception {
    dotenv("");
    assertEquals(OfflineBackend.NAME, Backends.choose(Backends.AUTO).name());
    assertTrue(Backends.choose(Backends.AUTO).reason().startsWith("no OPENAI_API_KEY"));
    dotenv("GOOGLE_API_KEY=" + FAKE_KEY + "\n");
    assertEquals(LlmBackend.GEMINI, Backends.choose(Backends.AUTO).name());
    dotenv("GEMINI_API_KEY=" + FAKE_KEY + "\nOPENAI_API_KEY=" + FAKE_KEY + "\n");
    assertEquals(LlmBackend.OPENAI, Backends.choose(Backends.AUTO).name());
    assertEquals(new Backends.Choice("gemini", null), Backends.choose("gemini"),
        "a named backend is itself");
  }

  @Test
  void theRunSaysWhichAndWhyWithoutTheKeyAndItsIdNamesTheBackendUsed() throws Exception {
    dotenv("");
    Load offline = load();
    assertEquals(OfflineBackend.NAME, offline.in().context().backend().name());
    assertEquals(OfflineBackend.NAME, offline.in().recipe().backend());
    assertTrue(offline.out().startsWith("backend auto: offline (no OPENAI_API_KEY"),
        offline.out());
    dotenv("OPENAI_API_KEY=" + FAKE_KEY + "\n");
    Load openai = load();
    assertEquals(LlmBackend.OPENAI, openai.in().context().backend().name());
    assertEquals("backend auto: openai (OPENAI_API_KEY is set)\n", openai.out());
    assertFalse(openai.out().contains(FAKE_KEY));
    assertNotEquals(offline.in().context().runId(), openai.in().context().runId());
  }

  private record Load(Inputs in, String out) {}

  private static synchronized Load load() {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      Inputs in = Inputs.load(ECHO, List.of("backend=auto"), null);
      return new Load(in, out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(old);
    }
  }
}
