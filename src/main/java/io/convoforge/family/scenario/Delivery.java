package io.convoforge.family.scenario;

import io.convoforge.core.input.InputException;
import io.convoforge.core.input.Problem;
import io.convoforge.family.scenario.batch.BatchFolder;
import io.convoforge.family.scenario.batch.BatchWriter;
import io.convoforge.family.scenario.batch.WrittenBatch;
import io.convoforge.family.scenario.registry.Finding;
import io.convoforge.family.scenario.registry.Registry;
import io.convoforge.family.scenario.registry.Rows;
import io.convoforge.family.scenario.spec.PromptSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a run does with its batches once its output is committed: publishes each batch folder of
 * {@code <out>/batches/} to the shared output root when the recipe names one ({@link
 * BatchWriter#publish}: staging, lock, atomic move; an identical batch already there is kept),
 * registers the prompt, then each batch with its conversations (one transaction per batch; an
 * identical batch already registered is left alone) at its final path (the output root's copy,
 * else the run's), and audits every batch it delivered.
 *
 * <p>A batch id already published or registered with another batch.json is the same prompt,
 * scenario mode and seed under another configuration (which {@code prepare} refuses earlier
 * when the registry says so) or an LLM run repeated without its cache: such batches are named
 * in one {@link InputException} before anything is published or registered.
 * Audit findings fail with {@link IllegalStateException} naming each. Progress goes to {@code
 * log}, about ten lines at most.
 */
public final class Delivery {
  private final ScenarioSettings settings;
  private final PromptSpec spec;
  private final PrintStream log;

  public Delivery(ScenarioSettings settings, PromptSpec spec, PrintStream log) {
    this.settings = settings;
    this.spec = spec;
    this.log = log;
  }

  /** What a delivery did. */
  public record Outcome(int batches, int published, int registered, int alreadyRegistered) {}

  /** Delivers the batch folders of the run output {@code out}. */
  public Outcome deliver(Path out) {
    try {
      return deliverChecked(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Outcome deliverChecked(Path out) throws IOException {
    List<WrittenBatch> batches = new ArrayList<>();
    for (Path dir : folders(out.resolve(BatchWriter.BATCHES))) {
      batches.add(BatchFolder.read(dir));
    }
    if (batches.isEmpty()) {
      log.println("No batch to deliver (no conversation was accepted).");
      return new Outcome(0, 0, 0, 0);
    }
    BatchWriter root = settings.outputRoot() == null ? null
        : new BatchWriter(Path.of(settings.outputRoot()));
    Registry registry = settings.registers() ? Registry.open(settings.registryUrl()) : null;
    try {
      preflight(batches, root, registry);
      int published = 0;
      if (root != null) {
        List<WrittenBatch> there = new ArrayList<>(batches.size());
        for (WrittenBatch b : batches) {
          WrittenBatch p = root.publish(b.dir());
          published += p.written() ? 1 : 0;
          there.add(p);
        }
        batches = there;
        log.printf("Published %d batches to %s (%d new)%n", batches.size(), root.root(),
            published);
      }
      if (registry == null) {
        log.println("Registry: none; " + batches.size() + " batches written, not registered.");
        return new Outcome(batches.size(), published, 0, 0);
      }
      return register(batches, registry, published);
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }

  private Outcome register(List<WrittenBatch> batches, Registry registry, int published) {
    registry.registerPrompt(spec, Path.of(settings.prompt()));
    int inserted = 0;
    int every = Math.max(1, batches.size() / 10);
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < batches.size(); i++) {
      WrittenBatch b = batches.get(i);
      Rows.Registration r = registry.registerBatch(b);
      inserted += r.inserted() ? 1 : 0;
      findings.addAll(registry.audit(b.id()));
      if ((i + 1) % every == 0 || i == batches.size() - 1) {
        log.printf("  [%d/%d] %s: %d conversations, %s%n", i + 1, batches.size(), b.id(),
            b.batch().size(), r.inserted() ? "registered" : "already registered");
      }
    }
    if (!findings.isEmpty()) {
      throw new IllegalStateException("the audit of the delivered batches found "
          + findings.size() + " problems:\n" + String.join("\n",
              findings.stream().map(Finding::toString).toList()));
    }
    log.printf("Registry %s: prompt %s, %d batches (%d new, %d already registered); audit"
        + " clean%n", registry.url(), spec.id(), batches.size(), inserted,
        batches.size() - inserted);
    return new Outcome(batches.size(), published, inserted, batches.size() - inserted);
  }

  /** Every batch id taken by another batch.json, in the output root or the registry. */
  private void preflight(List<WrittenBatch> batches, BatchWriter root, Registry registry)
      throws IOException {
    List<String> inRoot = new ArrayList<>();
    List<String> inRegistry = new ArrayList<>();
    for (WrittenBatch b : batches) {
      String there = root == null ? null : root.existingSha256(b.id());
      if (there != null && !there.equals(b.sha256())) {
        inRoot.add(b.id());
      }
      Optional<Rows.Batch> row = registry == null ? Optional.empty() : registry.batch(b.id());
      if (row.isPresent() && !row.get().sha256().equals(b.sha256())) {
        inRegistry.add(b.id());
      }
    }
    List<Problem> problems = new ArrayList<>();
    if (!inRoot.isEmpty()) {
      problems.add(conflict("output_root " + root.root(), inRoot, batches.size()));
    }
    if (!inRegistry.isEmpty()) {
      problems.add(conflict("registry " + registry.url(), inRegistry, batches.size()));
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
  }

  private static Problem conflict(String where, List<String> ids, int of) {
    List<String> some = ids.stream().limit(3).toList();
    return new Problem(where, null, ids.size() + " of the run's " + of + " batches ("
        + String.join(", ", some) + (ids.size() > some.size() ? ", …" : "") + ") are there with"
        + " another batch.json: the same prompt, scenario mode and seed under another"
        + " configuration, or an LLM run without its response cache. Nothing was published or"
        + " registered; rerun with another --seed, or another registry and output_root");
  }

  private static List<Path> folders(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).sorted().toList();
    }
  }
}
