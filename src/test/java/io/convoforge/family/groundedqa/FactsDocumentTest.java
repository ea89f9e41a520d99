package io.convoforge.family.groundedqa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.input.InputException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FactsDocumentTest {
  private static List<String> headings(List<Chunk> chunks) {
    return chunks.stream().map(Chunk::heading).toList();
  }

  @Test
  void chunksFollowNestedHeadingsOfAnyLevel() {
    List<Chunk> chunks = FactsDocument.parse("f.md", """
        # Guide
        ## Billing
        We bill monthly.
        ### Refunds
        Refunds take 5 days.
        ###### Deep
        Six levels down.
        ## Shipping ##
        We ship on weekdays.
        """, 200);
    assertEquals(List.of("Guide > Billing", "Guide > Billing > Refunds",
        "Guide > Billing > Refunds > Deep", "Guide > Shipping"), headings(chunks));
    assertEquals("Refunds take 5 days.", chunks.get(1).text());
    assertEquals("Refunds", chunks.get(1).topic());
    assertEquals("Deep", chunks.get(2).topic());
    Chunk past = FactsDocument.parse("f.md", "# G\n## Events\n### Past\nWe met.", 200).get(0);
    assertEquals("Events", past.topic(), "a vague leaf says less than its section");
  }

  @Test
  void textBeforeTheFirstHeadingIsHeadedByTheTitleOrTheFileName() {
    List<Chunk> titled = FactsDocument.parse("docs/f.md",
        "Read this first.\n\n# Acme Facts\n\nAcme sells anvils.\n", 200);
    assertEquals(List.of("Acme Facts", "Acme Facts"), headings(titled));
    assertEquals("Read this first.", titled.get(0).text());
    List<Chunk> untitled = FactsDocument.parse("docs/notes.v2.md",
        "Read this first.\n\n## Prices\n\nAnvils cost $10.\n", 200);
    assertEquals(List.of("notes.v2", "Prices"), headings(untitled));
  }

  @Test
  void frontMatterIsSkippedAndSetextHeadingsAndCrlfAreRead() {
    List<Chunk> chunks = FactsDocument.parse("f.md",
        "---\r\ntitle: secret\r\n---\r\nTitle\r\n=====\r\n\r\nLine one\r\nline two.\r\n\r\n"
            + "Sub\r\n---\r\nBody.\r\n", 200);
    assertEquals(List.of("Title", "Title > Sub"), headings(chunks));
    assertEquals("Line one line two.", chunks.get(0).text(), "prose lines are unwrapped");
    assertFalse(chunks.stream().anyMatch(c -> c.text().contains("secret")));
  }

  @Test
  void listsTablesAndCodeAreKeptAsTextAndCodeHoldsNoHeadings() {
    String md = """
        # T
        Intro:
        - first item
        - second item

        | a | b |
        |---|---|
        | 1 | 2 |

        ```
        # not a heading
        ```
        """;
    List<Chunk> chunks = FactsDocument.parse("f.md", md, 500);
    assertEquals(1, chunks.size());
    assertEquals("Intro:\n- first item\n- second item\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        + "```\n# not a heading\n```", chunks.get(0).text());
  }

  @Test
  void anOversizedSectionIsCutAtParagraphsThenSentencesNeverMidSentence() {
    String p1 = "The first paragraph talks about prices and has two sentences. It is short.";
    String p2 = "The second paragraph is about shipping. Orders ship daily. Parcels are tracked. "
        + "Returns use a prepaid label. Refunds take five days. That is all for now.";
    List<Chunk> chunks = FactsDocument.parse("f.md", "# T\n\n" + p1 + "\n\n" + p2, 100);
    assertEquals(p1, chunks.get(0).text(), "a paragraph that fits stays whole");
    for (Chunk c : chunks) {
      assertTrue(c.text().length() <= 100, c.text());
      assertTrue(c.text().endsWith("."), "cut at a sentence end: " + c.text());
    }
    String rejoined = chunks.stream().skip(1).map(Chunk::text).collect(Collectors.joining(" "));
    assertEquals(p2, rejoined);
  }

  @Test
  void aSentenceLongerThanTheBoundStaysWhole() {
    String longSentence = "This sentence goes on " + "and on ".repeat(30) + "until it ends.";
    List<Chunk> chunks = FactsDocument.parse("f.md", "# T\nShort one. " + longSentence, 80);
    assertEquals(List.of("Short one.", longSentence),
        chunks.stream().map(Chunk::text).toList());
  }

  @Test
  void anOversizedTableIsCutAtRowsRepeatingItsHeader() {
    StringBuilder md = new StringBuilder("# T\n| Item | Price |\n|---|---|\n");
    for (int i = 1; i <= 12; i++) {
      md.append("| item ").append(i).append(" | $").append(i).append(" |\n");
    }
    List<Chunk> chunks = FactsDocument.parse("f.md", md.toString(), 90);
    assertTrue(chunks.size() > 1);
    for (Chunk c : chunks) {
      assertTrue(c.text().startsWith("| Item | Price |\n|---|---|\n| item "), c.text());
    }
    assertEquals(12, chunks.stream().mapToLong(c -> c.text().lines()
        .filter(l -> l.startsWith("| item")).count()).sum());
  }

  @Test
  void idsAreDeterministicFromTheContent() {
    String md = Fixtures.read(Fixtures.FACTS);
    List<Chunk> a = FactsDocument.parse("a.md", md, 1200);
    List<Chunk> b = FactsDocument.parse("b.md", md, 1200);
    assertEquals(a, b);
    for (Chunk c : a) {
      assertTrue(c.id().matches("c-[0-9a-f]{8}-" + c.index()), c.id());
    }
    List<Chunk> edited = FactsDocument.parse("a.md", md.replace("$9.99", "$10.99"), 1200);
    assertEquals(a.get(0).id(), edited.get(0).id());
    assertNotEquals(a.get(1).id(), edited.get(1).id());
  }

  @Test
  void theShippedAndTheTestDocumentsParse() {
    List<Chunk> facts = Fixtures.facts();
    assertTrue(facts.size() >= 9, "one chunk per section at least");
    assertTrue(headings(facts).contains("Hearthly Customer Facts > Events and Announcements"
        + " > Upcoming"));
    List<Chunk> library = Fixtures.library();
    assertEquals("Harbourview Public Library", library.get(0).heading());
    assertTrue(library.get(0).text().startsWith("Welcome to the member handbook"));
    assertTrue(headings(library).contains("Harbourview Public Library > Borrowing > Loan periods"));
    assertTrue(library.stream().anyMatch(c -> c.text().contains("| DVDs | 7 days | 1 |")));
    for (Chunk c : library) {
      assertTrue(c.text().length() <= 400 || Text.sentences(c.text()).size() == 1,
          "only a single over-long sentence may exceed the bound: " + c.text());
    }
    assertTrue(library.stream().anyMatch(c -> c.text().length() > 400));
  }

  @Test
  void badInputIsNamed() {
    InputException empty = assertThrows(InputException.class,
        () -> FactsDocument.parse("facts.md", " \n\n", 400));
    assertTrue(empty.getMessage().startsWith("facts.md: the document is empty"),
        empty.getMessage());
    InputException noText = assertThrows(InputException.class,
        () -> FactsDocument.parse("facts.md", "---\na: b\n---\n# Title\n## Section\n", 400));
    assertTrue(noText.getMessage().startsWith("facts.md: the document has no text"),
        noText.getMessage());
    InputException small = assertThrows(InputException.class,
        () -> FactsDocument.parse("facts.md", "# T\nText.", 79));
    assertEquals("facts.md, max_chars: must be at least 80 characters, got 79",
        small.getMessage());
  }
}
