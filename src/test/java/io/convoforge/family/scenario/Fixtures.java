package io.convoforge.family.scenario;

import io.convoforge.family.scenario.batch.BatchFile;
import io.convoforge.family.scenario.batch.BatchWriter;
import io.convoforge.family.scenario.batch.WrittenBatch;
import io.convoforge.family.scenario.offline.OfflineTranscripts;
import io.convoforge.family.scenario.spec.PromptSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The shipped specs, the test-only Portuguese one, and batches made from them. */
public final class Fixtures {
  public static final Path ES = Path.of("data/prompts/telecom-soporte-es.md");
  public static final Path EN = Path.of("data/prompts/insurance-claims-en.md");
  public static final Path PT = Path.of("src/test/resources/scenario/cartoes-pt.md");
  public static final Path PT_BANKS = Path.of("src/test/resources/scenario/phrases");

  private Fixtures() {}

  public static PromptSpec spec(Path p) {
    return PromptSpec.read(p);
  }

  /** The offline writer of a spec: the shipped banks, or the test bank for Portuguese. */
  public static OfflineTranscripts writer(PromptSpec spec) {
    return spec.primaryLanguage().equals("pt")
        ? OfflineTranscripts.forSpec(spec, PT_BANKS) : OfflineTranscripts.forSpec(spec);
  }

  /** Batch {@code index} of {@code plan}, generated offline and written under {@code root}. */
  public static WrittenBatch writeBatch(Path root, ScenarioPlan plan, int index, Path promptPath) {
    BatchFile b = OfflineBatches.assemble(plan, index, promptPath.toString(),
        writer(plan.spec()));
    try {
      return new BatchWriter(root).write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
