package io.convoforge.family.groundedqa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.input.InputException;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PhraseBankTest {
  /** A minimal valid bank; {@code extra} replaces the user.ask entry. */
  private static String bank(String ask) {
    StringBuilder sb = new StringBuilder("user:\n");
    for (String path : PhraseBank.PATHS) {
      String[] p = path.split("\\.");
      if (p[0].equals("assistant") && !sb.toString().contains("assistant:")) {
        sb.append("assistant:\n");
      }
      String phrase = switch (path) {
        case "user.ask" -> ask;
        case "assistant.answer" -> "\"{answer}\"";
        case "assistant.clarify", "assistant.more", "assistant.quote", "assistant.scope" ->
            "\"{detail}\"";
        default -> "\"ok\"";
      };
      if (phrase != null) {
        sb.append("  ").append(p[1]).append(":\n    any: [").append(phrase).append("]\n");
      }
    }
    return sb.toString();
  }

  private static InputException bad(String yaml) {
    return assertThrows(InputException.class, () -> PhraseBank.parse("b.yaml", yaml));
  }

  @Test
  void theShippedBankLoadsFromFileAndClasspathWithEveryStyle() {
    PhraseBank file = Fixtures.bank();
    PhraseBank jar = PhraseBank.loadDefault();
    for (String path : PhraseBank.PATHS) {
      assertEquals(file.phrases(path, "any"), jar.phrases(path, "any"), path);
    }
    for (Style s : Fixtures.personas().styles()) {
      for (String path : PhraseBank.PATHS) {
        assertTrue(file.phrases(path, s.id()).size() > file.phrases(path, "any").size(),
            s.id() + " has its own " + path);
      }
    }
    assertEquals(file.phrases("user.ask", "any"), file.phrases("user.ask", "unknown-style"));
  }

  @Test
  void phrasesAreFilledAndDeterministic() {
    PhraseBank b = PhraseBank.parse("b.yaml", bank("\"{question} ({topic}, {first_name})\""));
    Map<String, String> vars = Map.of("question", "Why?", "topic", "billing",
        "first_name", "Ann");
    assertEquals("Why? (billing, Ann)", b.say(new SplittableRandom(1), "user.ask", "x", vars));
    PhraseBank shipped = Fixtures.bank();
    assertEquals(shipped.say(new SplittableRandom(5), "user.open", "casual", vars),
        shipped.say(new SplittableRandom(5), "user.open", "casual", vars));
  }

  @Test
  void badPhrasesAreNamedByTheirField() {
    assertEquals("b.yaml, field user.ask.any[0]: must hold {question} or {question_lc}",
        bad(bank("\"Tell me.\"")).getMessage());
    assertTrue(bad(bank("\"{question} {foo}\"")).getMessage().startsWith(
        "b.yaml, field user.ask.any[0]: unknown placeholder {foo}; known: question,"));
    assertTrue(bad(bank("\"\"")).getMessage().startsWith("b.yaml, field user.ask.any[0]: is empty"));
    assertEquals("b.yaml, field user.ask.any: expected a non-empty list of phrases",
        bad(bank("").replace("any: []", "any: []")).getMessage());
    String noAny = bank("\"{question}\"").replace("  ask:\n    any:", "  ask:\n    formal:");
    assertEquals("b.yaml, field user.ask.any: is missing (every path needs phrases for any style)",
        bad(noAny).getMessage());
    String missing = bank("\"{question}\"").replace("  thanks:\n    any: [\"ok\"]\n", "");
    assertEquals("b.yaml, field user.thanks: is missing", bad(missing).getMessage());
    assertTrue(bad("user: [\n").getMessage().startsWith("b.yaml, line "));
  }
}
