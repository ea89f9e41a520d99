package io.convoforge.family.groundedqa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.input.InputException;
import io.convoforge.core.input.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersonasTest {
  private static final String STYLES = "styles:\n  - {id: formal, description: Polite.}\n";

  private static String personas(String... items) {
    return "personas:\n" + String.join("", items) + STYLES;
  }

  private static final String OK = "  - {id: a, name: Ann Lee, role: tenant, topics: [billing]}\n";

  private static InputException bad(String yaml) {
    return assertThrows(InputException.class, () -> Personas.parse("p.yaml", yaml));
  }

  @Test
  void theShippedFileHasPersonasForEveryHeading() {
    Personas p = Fixtures.personas();
    assertTrue(p.personas().size() >= 8);
    assertEquals(List.of("formal", "casual", "concise", "friendly", "frustrated"),
        p.styles().stream().map(Style::id).toList());
    for (Chunk c : Fixtures.facts()) {
      if (c.heading().contains(" > ")) {
        assertNotEquals(p.personas(), p.forHeading(c.heading()),
            "some personas, not all, care about " + c.heading());
      }
    }
    assertEquals("Maria", p.personas().get(0).firstName());
    assertEquals("casual", p.style("casual").id());
  }

  @Test
  void forHeadingMatchesTopicWordsAndFallsBackToAll() {
    Personas p = Personas.parse("p.yaml", personas(OK,
        "  - {id: b, name: Bo, role: owner, topics: [returns policy]}\n"));
    assertEquals(List.of("a"), p.forHeading("Guide > Billing and Payments").stream()
        .map(Persona::id).toList());
    assertEquals(List.of("b"), p.forHeading("Returns").stream().map(Persona::id).toList());
    assertEquals(2, p.forHeading("Security").size());
  }

  @Test
  void aMissingOrWrongFieldIsNamedByItsPath() {
    InputException missing = bad(personas(OK, OK.replace("id: a", "id: b"),
        OK.replace("id: a", "id: c"), "  - {id: d, name: Dee, role: owner}\n"));
    Problem p = missing.problems().get(0);
    assertEquals("p.yaml", p.file());
    assertEquals("field personas[3]", p.where());
    assertTrue(p.message().contains("topics"), p.message());
    InputException type = bad(personas(OK.replace("id: a", "id: b"),
        "  - {id: d, name: Dee, role: owner, topics: billing}\n"));
    assertEquals("field personas[1].topics", type.problems().get(0).where());
    InputException empty = bad(personas("  - {id: d, name: Dee, role: owner, topics: []}\n"));
    assertEquals("field personas[0].topics", empty.problems().get(0).where());
    InputException typo = bad(personas(
        "  - {id: d, name: Dee, role: owner, topic: [billing]}\n"));
    assertTrue(typo.getMessage().contains("topic"), typo.getMessage());
    InputException id = bad(personas("  - {id: Bad Id, name: Dee, role: x, topics: [a]}\n"));
    assertEquals("field personas[0].id", id.problems().get(0).where());
    InputException noStyles = bad("personas:\n" + OK);
    assertTrue(noStyles.getMessage().contains("styles"), noStyles.getMessage());
  }

  @Test
  void duplicateIdsMalformedYamlAndEmptyFilesAreNamed() {
    InputException dup = bad(personas(OK, OK));
    assertEquals("p.yaml, field personas[1].id: duplicate id 'a' (also personas[0])",
        dup.getMessage());
    InputException yaml = bad("personas: [\n  - {id: a\n");
    assertTrue(yaml.getMessage().startsWith("p.yaml, line "), yaml.getMessage());
    InputException blank = bad("");
    assertTrue(blank.getMessage().startsWith("p.yaml: the file is empty"), blank.getMessage());
  }
}
