package io.convoforge.family.scenario.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.family.scenario.Fixtures;
import io.convoforge.family.scenario.OfflineBatches;
import io.convoforge.family.scenario.ScenarioPlan;
import io.convoforge.family.scenario.batch.BatchFile;
import io.convoforge.family.scenario.batch.BatchWriter;
import io.convoforge.family.scenario.batch.WrittenBatch;
import io.convoforge.family.scenario.model.Transcript;
import io.convoforge.family.scenario.spec.PromptSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's behaviour, run against each database (H2, PostgreSQL) by a subclass. */
abstract class RegistryContract {
  static final PromptSpec ES = Fixtures.spec(Fixtures.ES);
  static final PromptSpec EN = Fixtures.spec(Fixtures.EN);
  @TempDir Path root;
  Registry registry;

  /** A JDBC URL of an empty database. */
  abstract String freshUrl() throws Exception;

  @BeforeEach
  void open() throws Exception {
    registry = Registry.open(freshUrl());
  }

  @AfterEach
  void close() {
    registry.close();
  }

  WrittenBatch write(ScenarioPlan plan, int index, Path prompt) {
    return Fixtures.writeBatch(root, plan, index, prompt);
  }

  @Test
  void registeringTwiceKeepsOneRowOfEach() {
    ScenarioPlan plan = ScenarioPlan.random(ES, 42, 20, 10);
    for (int round = 0; round < 2; round++) {
      assertEquals(ES.id(), registry.registerPrompt(ES, Fixtures.ES));
      for (int b = 0; b < plan.batches(); b++) {
        Rows.Registration r = registry.registerBatch(write(plan, b, Fixtures.ES));
        assertEquals(round == 0, r.inserted());
      }
    }
    assertEquals(1, registry.prompts().size());
    Rows.Prompt p = registry.prompts().get(0);
    assertEquals(ES.sha256(), p.sha256());
    assertEquals(7, p.scenarios());
    assertEquals(12, p.turns());
    assertEquals(2, registry.batches(null, null).size());
    assertEquals(20, registry.conversations(null, null, null).size());
    for (int b = 0; b < plan.batches(); b++) {
      assertEquals(List.of(), registry.audit(plan.batchId(b)));
    }
  }

  @Test
  void aFailureMidBatchLeavesNoRowOfIt() throws Exception {
    registry.registerPrompt(ES, Fixtures.ES);
    ScenarioPlan plan = ScenarioPlan.random(ES, 42, 6, 6);
    BatchFile good = OfflineBatches.assemble(plan, 0, "p", Fixtures.writer(ES));
    List<Transcript> convs = new ArrayList<>(good.conversations());
    Transcript t = convs.get(4);   // a scenario id longer than its column: the 5th row fails
    convs.set(4, new Transcript(t.id(), t.batchId(), t.promptId(),
        new Transcript.ScenarioRef("X".repeat(100), "too long"), t.language(), t.messages(), null,
        t.lineage()));
    WrittenBatch w = new BatchWriter(root).write(BatchFile.of(plan, 0, "p", convs));
    assertThrows(IllegalStateException.class, () -> registry.registerBatch(w));
    assertTrue(registry.batch(plan.batchId(0)).isEmpty());
    assertEquals(0, registry.conversations(plan.batchId(0), null, null).size());
    assertEquals(1, registry.prompts().size(), "the prompt registered before stays");
  }

  @Test
  void aBatchNeedsItsPrompt() {
    WrittenBatch w = write(ScenarioPlan.random(EN, 1, 2, 2), 0, Fixtures.EN);
    assertThrows(IllegalStateException.class, () -> registry.registerBatch(w));
    assertTrue(registry.batches(null, null).isEmpty());
  }

  @Test
  void queriesByMetadata() {
    registry.registerPrompt(ES, Fixtures.ES);
    registry.registerPrompt(EN, Fixtures.EN);
    ScenarioPlan fixed = ScenarioPlan.fixed(ES, "PAGO-01", 5, 8, 4);
    ScenarioPlan random = ScenarioPlan.random(EN, 5, 6, 6);
    for (int b = 0; b < 2; b++) {
      registry.registerBatch(write(fixed, b, Fixtures.ES));
    }
    registry.registerBatch(write(random, 0, Fixtures.EN));

    assertEquals(2, registry.prompts().size());
    assertEquals(2, registry.batches(ES.id(), null).size());
    assertEquals(1, registry.batches(EN.id(), null).size());
    assertEquals(2, registry.batches(null, "PAGO-01").size());
    assertEquals(0, registry.batches(EN.id(), "PAGO-01").size());
    Rows.Batch b0 = registry.batch(fixed.batchId(0)).get();
    assertEquals("fixed", b0.scenarioMode());
    assertEquals("PAGO-01", b0.scenario());
    assertEquals(4, b0.size());

    assertEquals(4, registry.conversations(fixed.batchId(1), null, null).size());
    assertEquals(8, registry.conversations(null, "PAGO-01", null).size());
    assertEquals(6, registry.conversations(null, null, EN.id()).size());
    String enScenario = random.scenario(0, 0).id();
    List<Rows.Conversation> c = registry.conversations(null, enScenario, EN.id());
    assertFalse(c.isEmpty());
    c.forEach(r -> assertEquals(enScenario, r.scenarioId()));
    Rows.Conversation first = registry.conversations(random.batchId(0), null, null).get(0);
    assertEquals("2026-04-06T13:30Z",
        first.firstTimestamp().toInstant().toString().replace(":00Z", "Z"));
    assertTrue(first.messages().startsWith("[{\"role\":\"client\""), first.messages());
  }

  @Test
  void auditCatchesChangedDeletedAndExtraFiles() throws Exception {
    registry.registerPrompt(ES, Fixtures.ES);
    ScenarioPlan plan = ScenarioPlan.random(ES, 8, 5, 5);
    WrittenBatch w = write(plan, 0, Fixtures.ES);
    registry.registerBatch(w);
    assertEquals(List.of(), registry.audit(w.id()));

    Path convs = w.dir().resolve("conversations");
    List<String> ids = w.batch().conversations().stream().map(Transcript::id).toList();
    Path changed = convs.resolve(ids.get(0) + ".json");
    Files.writeString(changed, Files.readString(changed).replace("agent", "agente"));
    Path deleted = convs.resolve(ids.get(1) + ".json");
    Files.delete(deleted);
    Path extra = convs.resolve("stray.json");
    Files.writeString(extra, "{}");

    List<Finding> f = registry.audit(w.id());
    assertTrue(f.stream().anyMatch(x -> x.where().equals(changed.toString())
        && x.problem().startsWith("sha256 ")), f.toString());
    assertTrue(f.stream().anyMatch(x -> x.where().equals(deleted.toString())
        && x.problem().startsWith("missing")), f.toString());
    assertTrue(f.stream().anyMatch(x -> x.where().equals(extra.toString())
        && x.problem().contains("not registered")), f.toString());

    Path batchJson = w.dir().resolve("batch.json");
    Files.writeString(batchJson, Files.readString(batchJson) + " ");
    assertTrue(registry.audit(w.id()).stream().anyMatch(x -> x.where().equals(
        batchJson.toString()) && x.problem().startsWith("sha256 ")));
    assertEquals(List.of(new Finding("batches row nope", "not registered")),
        registry.audit("nope"));
  }

  @Test
  void batchesOfAnotherRunConfigurationAreNamed() throws Exception {
    registry.registerPrompt(ES, Fixtures.ES);
    ScenarioPlan plan = ScenarioPlan.random(ES, 3, 4, 2);
    for (int b = 0; b < plan.batches(); b++) {
      BatchFile f = OfflineBatches.assemble(plan, b, "p", Fixtures.writer(ES));
      List<Transcript> convs = new ArrayList<>();
      for (Transcript t : f.conversations()) {
        java.util.Map<String, Object> l = new java.util.TreeMap<>(t.lineage());
        l.put("run_id", "run-one");
        convs.add(new Transcript(t.id(), t.batchId(), t.promptId(), t.scenario(), t.language(),
            t.messages(), null, l));
      }
      registry.registerBatch(new BatchWriter(root).write(BatchFile.of(plan, b, "p", convs)));
    }
    java.util.Set<String> planned = java.util.Set.of(plan.batchId(0), plan.batchId(1), "b-other");
    assertEquals("run-one", registry.batch(plan.batchId(0)).get().runId());
    assertEquals(java.util.Map.of(plan.batchId(0), "run-one", plan.batchId(1), "run-one"),
        registry.takenByOtherRuns(ES.id(), planned, "run-two"));
    assertEquals(java.util.Map.of(), registry.takenByOtherRuns(ES.id(), planned, "run-one"));
    assertEquals(java.util.Map.of(), registry.takenByOtherRuns(EN.id(), planned, "run-two"));
  }
}
