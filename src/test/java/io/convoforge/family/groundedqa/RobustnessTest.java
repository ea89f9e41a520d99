package io.convoforge.family.groundedqa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.input.InputException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Odd but valid markdown goes through every component without surprises. */
class RobustnessTest {
  private static final String[] LINES = {"# ", "## ", "###### ", "#", "---", "***", "```", "~~~",
      "| a | b |", "|---|---|", "| 1 | $2 |", "- item", "  continued", "1. first", "> quote",
      "<!-- c", "-->", "===", "", "", "Text with 14 March 2027.",
      "The Pro plan costs $9.99. It is great!", "If x, we do y.", "We never sell data.",
      "**Bold** _it_ `code`", "[link](http://x) and ![img](y)", "Émoji 😀 naïve café.",
      "\t\ttabbed", "a", "?", "Mr. Smith is here. Dr. Who too.", "1,200 units at 9am; 5pm close",
      "x".repeat(300), "Q2 2027 and 2026-2027 and 03/04/2027", "#hashtag", "    indented code",
      "Setext", "-", "+ plus item", "* star item", "|", "||", "| only |", "  ",
      "Year 2099-12-31 then 1900-01-01."};

  @Test
  void randomMarkdownNeverBreaksTheOfflinePath() {
    Random r = new Random(20261130);
    Persona persona = Fixtures.personas().personas().get(0);
    Style style = Fixtures.personas().styles().get(1);
    int documents = 0;
    for (int i = 0; i < 300; i++) {
      StringBuilder md = new StringBuilder();
      for (int k = 0, n = 1 + r.nextInt(25); k < n; k++) {
        String line = LINES[r.nextInt(LINES.length)];
        md.append(line.endsWith(" ") && r.nextBoolean() ? line + "Head " + k : line)
            .append(r.nextInt(5) == 0 ? "\r\n" : "\n");
      }
      List<Chunk> chunks;
      try {
        chunks = FactsDocument.parse("f.md", md.toString(), 80 + r.nextInt(300));
      } catch (InputException e) {
        continue;
      }
      documents++;
      for (Chunk c : chunks) {
        assertFalse(c.heading().isBlank(), md.toString());
        for (QaPair p : OfflineQaExtractor.extract(c, 5, i)) {
          Validation v = Grounding.validate(p, c, Fixtures.AS_OF);
          assertFalse(v.reasons().contains(Grounding.EVIDENCE_NOT_VERBATIM), v.detail());
          assertFalse(v.reasons().contains(Grounding.UNGROUNDED), p + " " + v.detail());
          List<Utterance> d = DialogueWriter.write(p, persona, style, 2, 10, i, Fixtures.bank());
          Map<String, Verdict> verdicts = RubricRules.judge(p, d, persona, style);
          assertTrue(verdicts.get(RubricRules.FACTUAL).passed(), verdicts + " " + d);
          assertTrue(verdicts.get(RubricRules.NATURAL).passed(), verdicts + " " + d);
        }
      }
    }
    assertTrue(documents > 250, "most random documents have text: " + documents);
  }

  @Test
  void headerCellsWithFactsStayOutOfTableAnswers() {
    List<OfflineQaExtractor.Unit> units = OfflineQaExtractor.units(
        "| Plan | Price in 2027 | Seats |\n|---|---|---|\n| Pro | $59 | 10 |");
    assertEquals("For Pro, $59 and the seats are 10.", units.get(0).answer());
    assertTrue(FactsDocument.parse("f.md", "# T\n" + "word ".repeat(40) + "\n===\nBody.", 400)
        .stream().allMatch(c -> c.heading().equals("T")), "a long underlined paragraph is text");
  }
}
