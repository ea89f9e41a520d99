package io.convoforge.family.scenario.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.input.InputException;
import io.convoforge.core.input.Problem;
import io.convoforge.family.scenario.Fixtures;
import io.convoforge.family.scenario.model.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptSpecTest {
  private static final String SCENARIO = "### S-1 — One\n- intent: pay\n- tone: calm\n"
      + "- progression: check → settle\n";

  private static List<Problem> problems(String text) {
    return assertThrows(InputException.class, () -> PromptSpec.parse("x.md", text)).problems();
  }

  private static void assertProblem(List<Problem> ps, int line, String fragment) {
    assertTrue(ps.stream().anyMatch(p -> p.where().equals("line " + line)
            && p.message().contains(fragment) && p.file().equals("x.md")),
        "expected a problem on line " + line + " with '" + fragment + "' in " + ps);
  }

  @Test
  void shippedSpecsParse() {
    PromptSpec es = Fixtures.spec(Fixtures.ES);
    assertEquals("es-ES", es.language());
    assertEquals(Role.AGENT, es.first());
    assertEquals(12, es.turns());
    assertEquals(7, es.scenarios().size());
    assertEquals("Escenarios", es.catalogue());
    assertEquals(new Timing.Range(4, 20), es.timing().agent());
    assertEquals("+01:00", es.timing().start().getOffset().toString());
    assertTrue(es.system().contains("## Reglas de la conversación"));
    assertTrue(es.system().contains("## Notas para el revisor"), "headings after the catalogue");
    assertFalse(es.system().contains("FACT-01"), "the catalogue is not in the system prompt");
    assertEquals(3, es.scenario("FACT-01").get().progressionSteps().size());
    assertTrue(es.id().matches("p-[0-9a-f]{12}"));

    PromptSpec en = Fixtures.spec(Fixtures.EN);
    assertEquals(Role.CLIENT, en.first());
    assertEquals(10, en.turns());
    assertEquals("Scenarios", en.catalogue());
    assertTrue(en.scenarios().size() >= 4);
    assertNotEquals(es.timing().client(), en.timing().client());
  }

  @Test
  void acceptsWhatMarkdownAllows() {
    String text = "---\r\nTitle: Unusual  \r\nLANGUAGE: en\r\nfirst: client\r\nturns: 6\r\n---\r\n"
        + "# Intro\r\n\r\nSome rules.   \r\n```\r\n## Scenarios\r\n### NOT-1 — inside a fence\r\n```\r\n"
        + "## Scenarios\r\n\r\nIntro text of the catalogue.\r\n"
        + "### A.1 – En dash title\r\n+ **Intent**: report a fault\r\n+ TONE: calm  \r\n"
        + "+ Progression: check the line →\r\n  book an engineer\r\n+ Extra Key: kept\r\n"
        + "#### a sub-heading\r\n"
        + "### b_2 - Hyphen title ###\r\n* intent: x\r\n* tone: y\r\n* progression: z\r\n"
        + "## After\r\nMore rules.\r\n";
    PromptSpec s = PromptSpec.parse("x.md", text);
    assertEquals("Unusual", s.title());
    assertEquals(Role.CLIENT, s.first());
    assertNull(s.timing());
    assertEquals("Scenarios", s.catalogue());
    assertEquals(List.of("A.1", "b_2"), s.scenarios().stream().map(Scenario::id).toList());
    Scenario a = s.scenarios().get(0);
    assertEquals("En dash title", a.title());
    assertEquals("report a fault", a.intent());
    assertEquals(List.of("check the line", "book an engineer"), a.progressionSteps());
    assertEquals("kept", a.field("extra_key"));
    assertEquals("Hyphen title", s.scenarios().get(1).title());
    assertTrue(s.system().contains("Some rules.") && s.system().contains("More rules."));
    assertTrue(s.system().contains("### NOT-1"), "fenced headings stay text");
    assertFalse(s.system().contains("\r"));
  }

  @Test
  void idIsTheContentHash() {
    String text = "---\ntitle: T\nlanguage: en\nturns: 4\n---\n## Scenarios\n" + SCENARIO;
    PromptSpec a = PromptSpec.parse("a.md", text);
    PromptSpec b = PromptSpec.parse("elsewhere/b.md", text);
    assertEquals(a.id(), b.id());
    assertEquals("p-" + a.sha256().substring(0, 12), a.id());
    assertNotEquals(a.id(), PromptSpec.parse("a.md", text + "\n").id());
  }

  @Test
  void malformedYamlNamesItsLine() {
    List<Problem> ps = problems("---\ntitle: T\nlanguage: en\nturns: [4\n---\n## Scenarios\n"
        + SCENARIO);
    assertProblem(ps, 4, "malformed YAML front matter: while parsing a flow sequence; expected ','");
  }

  @Test
  void schemaViolationsNameTheirLines() {
    List<Problem> ps = problems("---\nlanguage: e_s\nturns: two\nfirst: caller\ncolour: red\n"
        + "---\n## Scenarios\n" + SCENARIO);
    assertProblem(ps, 2, "language");
    assertProblem(ps, 3, "turns");
    assertProblem(ps, 4, "first");
    assertProblem(ps, 5, "colour");
    assertTrue(ps.stream().anyMatch(p -> p.message().contains("title")), ps.toString());
  }

  @Test
  void rangesNeedMinAtMostMax() {
    List<Problem> ps = problems("---\ntitle: T\nlanguage: es\nturns: 6\ntiming:\n"
        + "  start: 2026-03-02T09:00:00+01:00\n  latency_seconds:\n    agent: [20, 4]\n"
        + "    client: [6, 45]\n---\n## Scenarios\n" + SCENARIO);
    assertProblem(ps, 8, "min 20 is greater than max 4");
  }

  @Test
  void timingStartNeedsAnOffset() {
    List<Problem> ps = problems("---\ntitle: T\nlanguage: es\nturns: 6\ntiming:\n"
        + "  start: 2026-03-02T09:00:00\n  latency_seconds: {agent: [1, 2], client: [1, 2]}\n"
        + "---\n## Scenarios\n" + SCENARIO);
    assertProblem(ps, 6, "start");
  }

  @Test
  void catalogueProblemsAreCollectedTogether() {
    String text = "---\ntitle: T\nlanguage: en\nturns: 6\n---\nRules.\n## Scenarios\n"
        + "### A-1 — First\n- intent: a\n- tone: b\n- progression: c\n"       // 8
        + "### A-1 — Again\n- intent: a\n- tone: b\n- progression: c\n"       // 12
        + "### B-1 — Missing keys\n- intent: a\n- tone:\n"                    // 16
        + "### no dash here\n"                                                // 19
        + "### bad/id — Slash\n- intent: a\n- tone: b\n- progression: c\n"    // 20
        + "### C-1 — Twice\n- intent: a\n- intent: b\n- tone: t\n- progression: p\n"; // 24
    List<Problem> ps = problems(text);
    assertProblem(ps, 12, "already used on line 8");
    assertProblem(ps, 16, "missing tone, progression");
    assertProblem(ps, 19, "expected a scenario heading");
    assertProblem(ps, 20, "bad/id");
    assertProblem(ps, 26, "'intent' given twice");
    assertEquals(5, ps.size(), ps.toString());
  }

  @Test
  void missingCatalogueHeading() {
    List<Problem> ps = problems("---\ntitle: T\nlanguage: en\nturns: 6\ncatalogue: Cases\n---\n"
        + "## Scenarios\n" + SCENARIO);
    assertProblem(ps, 5, "'## Cases'");
  }

  @Test
  void catalogueWithoutScenarios() {
    List<Problem> ps = problems("---\ntitle: T\nlanguage: en\nturns: 6\n---\n## Scenarios\n"
        + "Nothing yet.\n");
    assertProblem(ps, 6, "has no scenario");
  }

  @Test
  void frontMatterRequired() {
    assertProblem(problems("# Just markdown\n## Scenarios\n" + SCENARIO), 1, "front matter");
    assertProblem(problems("---\ntitle: T\n## Scenarios\n"), 1, "never closed");
  }

  @Test
  void frontMatterAndCatalogueProblemsTogether() {
    List<Problem> ps = problems("---\ntitle: T\nlanguage: en\nturns: 2\n---\n## Scenarios\n"
        + "### A — x\n- intent: a\n");
    assertProblem(ps, 4, "turns");
    assertProblem(ps, 7, "missing tone, progression");
  }
}
