package io.convoforge.family.scenario.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.family.scenario.Fixtures;
import io.convoforge.family.scenario.batch.BatchWriter;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs write batches into one output root and register them into one H2 AUTO_SERVER file at
 * the same time, partly the same batches (same prompt and seed, in opposite orders so that they
 * collide) and partly their own. Afterwards
 * every batch is there once, complete, registered once, and audits clean.
 */
class TwoProcessesTest {
  @TempDir Path root;

  private Process spawn(String url, String... jobs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        ConcurrentRunMain.class.getName(), root.toString(), url));
    cmd.addAll(List.of(jobs));
    return new ProcessBuilder(cmd).directory(new File(".")).redirectErrorStream(true).start();
  }

  private static BufferedReader out(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  @Test
  void twoRunsAtOnceLeaveEveryBatchOnceAndClean() throws Exception {
    String url = Registry.defaultUrl(root.resolve(".convoforge").resolve("registry"));
    String shared = Fixtures.ES + ":1:60:10";
    Process a = spawn(url, shared, Fixtures.EN + ":2:30:10");
    Process b = spawn(url, shared + ":reverse", Fixtures.EN + ":3:30:10");
    BufferedReader outA = out(a);
    BufferedReader outB = out(b);
    assertEquals("ready", outA.readLine());   // both have the registry open: start together
    assertEquals("ready", outB.readLine());
    for (Process p : List.of(a, b)) {
      p.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
    }
    StringBuilder all = new StringBuilder();
    for (BufferedReader r : List.of(outA, outB)) {
      r.lines().forEach(l -> all.append(l).append('\n'));
    }
    for (Process p : List.of(a, b)) {
      assertTrue(p.waitFor(90, TimeUnit.SECONDS), "a run did not finish");
    }
    String logs = all.toString();
    assertEquals(0, a.exitValue(), logs);
    assertEquals(0, b.exitValue(), logs);

    try (Registry registry = Registry.open(url)) {
      assertEquals(2, registry.prompts().size());
      List<Rows.Batch> batches = registry.batches(null, null);
      assertEquals(12, batches.size(), "6 shared + 3 + 3 own");
      assertEquals(120, registry.conversations(null, null, null).size());
      assertEquals(120, new HashSet<>(registry.conversations(null, null, null).stream()
          .map(Rows.Conversation::id).toList()).size());
      for (Rows.Batch batch : batches) {
        assertEquals(List.of(), registry.audit(batch.id()), batch.id());
      }
    }
    try (Stream<Path> s = Files.list(root.resolve(BatchWriter.BATCHES))) {
      assertEquals(12, s.count());
    }
    try (Stream<Path> s = Files.list(root.resolve(BatchWriter.STAGING))) {
      assertEquals(0, s.count(), "no staging folder left");
    }
    // Each run saw its 9 batches; between them they inserted each of the 12 exactly once.
    assertEquals(List.of("batches 9", "batches 9"), logs.lines()
        .filter(l -> l.startsWith("batches ")).map(l -> l.substring(0, l.indexOf(','))).toList());
    assertEquals(12, logs.lines().filter(l -> l.startsWith("batches "))
        .mapToInt(l -> Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1))).sum(), logs);
  }
}
