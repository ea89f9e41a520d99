package io.convoforge.family.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.convoforge.core.input.JsonSchemas;
import io.convoforge.core.model.Json;
import io.convoforge.family.scenario.batch.BatchFile;
import io.convoforge.family.scenario.batch.MessagesCsv;
import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.model.Role;
import io.convoforge.family.scenario.model.Transcript;
import io.convoforge.family.scenario.registry.Registry;
import io.convoforge.family.scenario.registry.Rows;
import io.convoforge.testing.Cli;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipe end to end through the command line, offline: batches in the run's output and in a
 * shared output root, messages.csv, the registry and its commands, reruns that register nothing
 * twice, a rerun under another configuration refused before it runs, the audit catching a
 * tampered file, and a prompt specification the project has never seen.
 */
class ScenarioJobTest {
  private static final String RECIPE = ScenarioTesting.RECIPE.toString();
  @TempDir Path tmp;

  private String registry() {
    return Registry.defaultUrl(tmp.resolve("registry"));
  }

  private Cli.Outcome run(Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("run", RECIPE, "--out", out.toString(),
        "--backend", "offline", "--set", "registry=" + registry()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(new String[0]));
  }

  @Test
  void theRecipeDeliversBatchesRegistersThemOnceAndAuditsThem() throws IOException {
    Path root = tmp.resolve("root");
    Cli.Outcome o = run(tmp.resolve("a"), "--count", "30", "--set", "batch_size=10",
        "--set", "output_root=" + root);
    assertEquals(0, o.code(), o.all());
    assertTrue(o.out().contains("3 batches (3 new, 0 already registered); audit clean"), o.out());
    Path a = tmp.resolve("a");
    List<String> lines = jsonl(a, "conversations");
    assertEquals(30, lines.size());
    assertEquals(List.of(), jsonl(a, "rejected"));
    JsonNode report = Json.parse(Files.readString(a.resolve("report.json")));
    assertTrue(report.path("invariant").path("holds").asBoolean());
    assertTrue(report.path("gates").path("passed").asBoolean(), report.path("gates").toString());
    assertEquals(3, report.path("scenario").path("batches").asInt());
    assertEquals(List.of(), JsonSchemas.violations(JsonSchemas.compile(
        Json.parse(Files.readString(Path.of("schemas/report.schema.json")))), report),
        "the scenario section is the one schemas/report.schema.json describes");

    List<Path> batches = folders(a.resolve("batches"));
    assertEquals(3, batches.size());
    for (Path b : batches) {
      BatchFile f = Json.read(Files.readAllBytes(b.resolve("batch.json")), BatchFile.class);
      assertEquals(10, f.size());
      assertEquals(10, f.planned());
      assertEquals(10, folders(b.resolve("conversations")).size() + files(b.resolve(
          "conversations")));
      for (Transcript t : f.conversations()) {
        assertEquals(Files.readString(b.resolve("conversations").resolve(t.id() + ".json")),
            new String(io.convoforge.family.scenario.batch.BatchWriter.json(t),
                java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"id\":\"" + t.id() + "\"")));
      }
      String preview = Files.readString(b.resolve("preview.txt"));
      assertTrue(preview.startsWith("Batch " + b.getFileName()), preview);
      assertTrue(preview.contains("Scenario mode: random"));
      assertTrue(preview.contains("] AGENT: "), "timestamps and speakers");
      Path published = root.resolve("batches").resolve(b.getFileName());
      assertEquals(-1L, Files.mismatch(b.resolve("batch.json"), published.resolve("batch.json")),
          "published byte for byte");
    }

    List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
        .build().parse(new StringReader(Files.readString(a.resolve("messages.csv")))).getRecords();
    assertEquals(30 * 12, rows.size());
    assertEquals(MessagesCsv.COLUMNS, String.join(",", CSVFormat.RFC4180.parse(
        new StringReader(Files.readString(a.resolve("messages.csv")))).iterator().next().toList()));

    try (Registry r = Registry.open(registry())) {
      assertEquals(1, r.prompts().size());
      List<Rows.Batch> rb = r.batches(null, null);
      assertEquals(3, rb.size());
      for (Rows.Batch b : rb) {
        assertTrue(Path.of(b.path()).startsWith(root), "the registry points at the root's copy");
        assertEquals(List.of(), r.audit(b.id()));
      }
      assertEquals(30, r.conversations(null, null, null).size());
    }

    // The same command into another output, the spec named by its absolute path: the same
    // batches, byte for byte, registered already.
    Cli.Outcome again = run(tmp.resolve("b"), "--count", "30", "--set", "batch_size=10",
        "--set", "output_root=" + root, "--set", "prompt=" + Fixtures.ES.toAbsolutePath());
    assertEquals(0, again.code(), again.all());
    assertTrue(again.out().contains("3 batches (0 new, 3 already registered)"), again.out());
    // The same seed with another batch size would put other calls under those ids: refused
    // before it runs, nothing written.
    Cli.Outcome other = run(tmp.resolve("c"), "--count", "30", "--set", "batch_size=5");
    assertEquals(2, other.code(), other.all());
    assertTrue(other.err().contains("field registry: 3 of the 6 batches this run plans"),
        other.err());
    assertFalse(Files.exists(tmp.resolve("c")));

    String url = registry();
    Cli.Outcome listed = Cli.run("registry", "batches", "--registry", url,
        "--json");
    assertEquals(0, listed.code(), listed.all());
    assertEquals(3, Json.parse(listed.out()).size());
    String batch = Json.parse(listed.out()).get(0).path("id").asText();
    JsonNode convs = Json.parse(Cli.run("registry", "conversations", "--registry", url,
        "--batch", batch, "--scenario", "FACT-01", "--json").out());
    assertTrue(convs.size() >= 1, "each batch of 10 holds every scenario of 7");
    for (JsonNode c : convs) {
      assertEquals("FACT-01", c.path("scenario_id").asText());
      assertEquals(12, c.path("messages").size());
    }
    try (Registry r = Registry.open(url)) {
      assertEquals(3, r.batches(null, null).size(), "no duplicate rows after the reruns");
      assertEquals(30, r.conversations(null, null, null).size());
    }

    // Tampering with a registered file is found, named, and exits 1.
    assertEquals(0, Cli.run("registry", "audit", batch, "--registry", url).code());
    Path file = root.resolve("batches").resolve(batch).resolve("conversations")
        .resolve(convs.get(0).path("id").asText() + ".json");
    Files.writeString(file, Files.readString(file).replace("\"agent\"", "\"client\""));
    Cli.Outcome audit = Cli.run("registry", "audit", batch, "--registry", url);
    assertEquals(1, audit.code(), audit.all());
    assertTrue(audit.out().contains(file + ": sha256 "), audit.out());
    assertTrue(audit.out().contains("roles do not alternate"), audit.out());
  }

  @Test
  void anUnseenSpecificationRunsThroughSetPrompt() throws IOException {
    Path spec = tmp.resolve("gym-en.md");
    Files.writeString(spec, """
        ---
        title: Northfield Gyms membership desk
        language: en-GB
        first: client
        turns: 8
        catalogue: Call reasons
        company: Northfield Gyms
        timing:
          start: 2027-01-11T14:00:00+05:30
          latency_seconds: {agent: [2, 6], client: [3, 9]}
        ---
        Members call the membership desk of Northfield Gyms. Short, friendly, British English.

        ## Call reasons
        ### CANCEL-1 — Cancel before the next payment
        - intent: cancel my membership before the next monthly payment
        - tone: annoyed, was charged twice last year
        - progression: check the contract end date → waive the notice period → cancel the membership from today

        ### FREEZE-1 — Freeze during an injury
        - intent: freeze my membership while my knee heals
        - tone: worried about losing the joining discount
        - progression: confirm the injury note → keep the joining discount → freeze the membership for three months

        ### CLASS-1 — Class booking keeps failing
        - intent: book the Saturday spin class that the app keeps refusing
        - tone: calm
        - progression: check the booking log → clear the stuck waiting-list entry → book the Saturday spin class
        """);
    Path out = tmp.resolve("gym");
    Cli.Outcome o = Cli.run("run", RECIPE, "--out", out.toString(), "--backend",
        "offline", "--count", "12", "--set", "batch_size=4", "--set", "prompt=" + spec,
        "--set", "registry=none");
    assertEquals(0, o.code(), o.all());
    List<String> lines = jsonl(out, "conversations");
    assertEquals(12, lines.size(), o.out() + jsonl(out, "rejected"));
    for (String l : lines) {
      Transcript t = Json.read(l, Transcript.class);
      assertEquals("en-GB", t.language());
      List<Message> m = t.messages();
      assertEquals(8, m.size());
      assertEquals(Role.CLIENT, m.get(0).role());
      for (int i = 1; i < m.size(); i++) {
        OffsetDateTime prev = OffsetDateTime.parse(m.get(i - 1).timestamp());
        OffsetDateTime at = OffsetDateTime.parse(m.get(i).timestamp());
        long gap = Duration.between(prev, at).getSeconds();
        assertTrue(m.get(i).role() == Role.AGENT ? gap >= 2 && gap <= 6 : gap >= 3 && gap <= 9,
            t.id() + " message " + i + ": " + gap + " s");
        assertEquals("+05:30", at.getOffset().toString());
      }
    }
    assertEquals(3, folders(out.resolve("batches")).size());
  }

  @Test
  void validateNamesEveryProblemOfASpecWithItsLine() throws IOException {
    Path spec = tmp.resolve("broken.md");
    Files.writeString(spec, """
        ---
        title: Broken
        language: es
        turns: 12
        timing:
          start: 2026-03-02T09:00:00+01:00
          latency_seconds: {agent: [20, 4], client: [6, 45]}
        ---
        ## Scenarios
        ### A-1 — Uno
        - intent: algo
        - progression: paso uno → paso dos
        ### A-1 — Otra vez
        - intent: algo
        - tone: tranquilo
        - progression: paso
        """);
    Cli.Outcome o = Cli.run("validate", RECIPE, "--set", "prompt=" + spec,
        "--set", "registry=none");
    assertEquals(2, o.code(), o.all());
    String err = o.err();
    assertTrue(err.contains(spec + ", line 7"), "min > max, at the latency line: " + err);
    assertTrue(err.contains(spec + ", line 10") && err.contains("tone"), "missing key: " + err);
    assertTrue(err.contains(spec + ", line 13") && err.contains("A-1"), "duplicate id: " + err);
    Cli.Outcome fixed = Cli.run("validate", RECIPE, "--set", "registry=none",
        "--set", "scenario_mode=fixed", "--set", "scenario=NOPE-9");
    assertEquals(2, fixed.code(), fixed.all());
    assertTrue(fixed.err().contains("field scenario: 'NOPE-9' is not in the catalogue"),
        fixed.err());
  }

  private static List<String> jsonl(Path dir, String prefix) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        Files.readAllLines(f).stream().filter(l -> !l.isBlank()).forEach(out::add);
      }
    }
    return out;
  }

  private static List<Path> folders(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).sorted().toList();
    }
  }

  private static int files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return (int) s.filter(Files::isRegularFile).count();
    }
  }
}
