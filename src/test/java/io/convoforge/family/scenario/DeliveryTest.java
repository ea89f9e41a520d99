package io.convoforge.family.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.core.input.InputException;
import io.convoforge.family.scenario.batch.BatchFile;
import io.convoforge.family.scenario.batch.BatchFolder;
import io.convoforge.family.scenario.batch.BatchWriter;
import io.convoforge.family.scenario.model.Transcript;
import io.convoforge.family.scenario.registry.Registry;
import io.convoforge.family.scenario.spec.PromptSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery after the commit, on batch folders as a run leaves them: a batch id the output
 * root holds with other content is named before anything is published or registered.
 */
class DeliveryTest {
  private static final PromptSpec ES = Fixtures.spec(Fixtures.ES);
  @TempDir Path tmp;

  private static BatchFile batch(long seed) {
    ScenarioPlan plan = ScenarioPlan.random(ES, 5, 6, 3);
    BatchFile f = OfflineBatches.assemble(plan, 0, Fixtures.ES.toString(), Fixtures.writer(ES));
    if (seed == 5) {
      return f;
    }
    Transcript t = f.conversations().get(0);
    List<Transcript> other = new java.util.ArrayList<>(f.conversations());
    other.set(0, t.withMessages(t.messages().subList(0, t.messages().size() - 2)));
    return BatchFile.of(plan, 0, Fixtures.ES.toString(), other);
  }

  @Test
  void aBatchIdTheRootHoldsWithOtherContentStopsTheDeliveryBeforeAnything() throws Exception {
    Path out = tmp.resolve("out");
    BatchFolder.write(out.resolve("batches").resolve(batch(5).id()), batch(5));
    Path root = tmp.resolve("root");
    new BatchWriter(root).write(batch(6));
    String url = Registry.defaultUrl(tmp.resolve("registry"));
    ScenarioSettings settings = new ScenarioSettings(Fixtures.ES.toString(), "random", null, 3,
        url, root.toString(), null);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    InputException e = assertThrows(InputException.class, () -> new Delivery(settings, ES,
        new PrintStream(log, true, StandardCharsets.UTF_8)).deliver(out));
    assertTrue(e.getMessage().startsWith("output_root " + root.toAbsolutePath().normalize()
        + ": 1 of the run's 1 batches (" + batch(5).id() + ") are there with another"
        + " batch.json"), e.getMessage());
    try (Registry r = Registry.open(url)) {
      assertEquals(0, r.batches(null, null).size(), "nothing registered");
      assertEquals(0, r.prompts().size());
    }
    assertEquals(BatchWriter.sha256(BatchWriter.json(batch(6))),
        new BatchWriter(root).existingSha256(batch(5).id()), "the root's batch untouched");
    assertTrue(Files.isDirectory(out.resolve("batches")), "the run's output untouched");
  }
}
