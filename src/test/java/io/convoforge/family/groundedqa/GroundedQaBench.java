package io.convoforge.family.groundedqa;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Throughput of the offline path on the shipped document, in thread CPU time (wall time on a
 * shared machine says more about the neighbours). Not a test; run from the repo root with
 * {@code java -cp target/classes:target/test-classes:$(cat target/runtime-classpath.txt)
 * io.convoforge.family.groundedqa.GroundedQaBench}.
 */
public final class GroundedQaBench {
  private GroundedQaBench() {}

  public static void main(String[] args) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    List<Chunk> chunks = Fixtures.facts();
    Personas personas = Fixtures.personas();
    PhraseBank bank = Fixtures.bank();
    List<QaPair> pairs = Fixtures.pairs(chunks, 10, 1);
    for (int round = 1; round <= 3; round++) {
      long t0 = mx.getCurrentThreadCpuTime();
      int reps = 2000;
      for (int rep = 0; rep < reps; rep++) {
        for (Chunk c : chunks) {
          OfflineQaExtractor.extract(c, 3, rep);
        }
      }
      double extractUs = (mx.getCurrentThreadCpuTime() - t0) / 1e3 / (reps * chunks.size());
      long t1 = mx.getCurrentThreadCpuTime();
      long dialogues = 0;
      for (int rep = 0; rep < 40; rep++) {
        for (QaPair p : pairs) {
          for (Persona persona : personas.personas()) {
            for (Style style : personas.styles()) {
              DialogueWriter.write(p, persona, style, 2, 10, rep, bank);
              dialogues++;
            }
          }
        }
      }
      double perSecond = dialogues / ((mx.getCurrentThreadCpuTime() - t1) / 1e9);
      System.out.printf("round %d: extract %.1f us/chunk, write %.0f dialogues/s (CPU)%n", round,
          extractUs, perSecond);
    }
  }
}
