package io.convoforge.family.tooluse.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.input.InputException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PhraseBankTest {
  @Test
  void fillsPlaceholdersAndFixesArticles() {
    assertEquals("Let's create an activity.",
        PhraseBank.fill("Let's create a {entity}.", Map.of("entity", "activity")));
    assertEquals("A quote for an opportunity, a client.",
        PhraseBank.fill("A {x} for a {y}, a {z}.",
            Map.of("x", "quote", "y", "opportunity", "z", "client")));
    assertEquals("Data {missing} stays.", PhraseBank.fill("Data {missing} stays.", Map.of()));
    assertEquals("extra {entity}", PhraseBank.fill("extra {entity}", Map.of()));
  }

  @Test
  void styleLookupMergesAnyAndIsDeterministic() {
    PhraseBank bank = PhraseBank.load(Path.of("transforms/tool-use/utterances/phrases.yaml"));
    assertTrue(bank.phrases("user.open", "terse").size() >= 3);
    // A style's own phrases and the shared ones.
    assertTrue(bank.phrases("user.confirm.correct", "terse").size() >= 3);
    String a = bank.say(new Random(3), "user.remembered", "formal", Map.of("id", "CL-1"));
    String b = bank.say(new Random(3), "user.remembered", "formal", Map.of("id", "CL-1"));
    assertEquals(a, b);
    assertTrue(a.contains("CL-1"), a);
  }

  @Test
  void aBankMissingARequiredSectionIsNamed() {
    InputException e = assertThrows(InputException.class,
        () -> PhraseBank.parse("p.yaml", "styles: [a]\nroles: [b]\n"));
    assertTrue(e.getMessage().contains("p.yaml, field user.open: is missing"), e.getMessage());
  }
}
