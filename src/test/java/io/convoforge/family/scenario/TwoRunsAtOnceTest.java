package io.convoforge.family.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.convoforge.family.scenario.batch.BatchWriter;
import io.convoforge.family.scenario.registry.Registry;
import io.convoforge.family.scenario.registry.Rows;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code convoforge run} processes started at the same moment with the same recipe into one
 * output root and one registry (an H2 AUTO_SERVER file neither has created yet), each with its
 * own {@code --out}. The test holds the root's lock until both have finished their pipelines
 * and wait to publish, so their deliveries (publish, register, audit) run at the same time. Both
 * complete, every batch is in the root once and whole, no staging folder
 * is left, the registry holds each batch and conversation once, each batch audits clean, and
 * between them the runs registered each batch exactly once.
 */
class TwoRunsAtOnceTest {
  private static final Pattern NEW = Pattern.compile("\\((\\d+) new, (\\d+) already registered\\)");
  @TempDir Path tmp;

  private Process spawn(String url, Path out) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"), "-Xmx384m",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        RunAfterGo.class.getName(), "run", ScenarioTesting.RECIPE.toString(),
        "--backend", "offline", "--count", "40", "--set", "batch_size=4",
        "--set", "output_root=" + tmp.resolve("root"), "--set", "registry=" + url,
        "--out", out.toString()));
    return new ProcessBuilder(cmd).directory(new File(".")).redirectErrorStream(true).start();
  }

  @Test
  void bothCompleteAndEveryBatchIsThereOnceRegisteredOnceAndClean() throws Exception {
    String url = Registry.defaultUrl(tmp.resolve("registry"));
    Path root = Files.createDirectories(tmp.resolve("root"));
    Process a = spawn(url, tmp.resolve("a"));
    Process b = spawn(url, tmp.resolve("b"));
    List<BufferedReader> outs = new ArrayList<>();
    for (Process p : List.of(a, b)) {
      BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8));
      assertEquals("ready", r.readLine());
      outs.add(r);
    }
    // The test holds the root's lock until both runs have staged their first batch and wait on
    // it, so their deliveries start together however long each pipeline took.
    try (FileChannel ch = FileChannel.open(root.resolve(BatchWriter.LOCK_FILE),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = ch.lock()) {
      for (Process p : List.of(a, b)) {
        p.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
      }
      waitForStaged(root, 2, List.of(a, b));
    }
    StringBuilder logs = new StringBuilder();
    for (BufferedReader r : outs) {
      r.lines().forEach(l -> logs.append(l).append('\n'));
    }
    for (Process p : List.of(a, b)) {
      assertTrue(p.waitFor(180, TimeUnit.SECONDS), "a run did not finish");
      assertEquals(0, p.exitValue(), logs.toString());
    }
    try (Stream<Path> s = Files.list(root.resolve(BatchWriter.BATCHES))) {
      assertEquals(10, s.count());
    }
    try (Stream<Path> s = Files.list(root.resolve(BatchWriter.STAGING))) {
      assertEquals(0, s.count(), "no staging folder left");
    }
    try (Registry r = Registry.open(url)) {
      assertEquals(1, r.prompts().size());
      List<Rows.Batch> batches = r.batches(null, null);
      assertEquals(10, batches.size());
      List<Rows.Conversation> convs = r.conversations(null, null, null);
      assertEquals(40, convs.size());
      assertEquals(40, new HashSet<>(convs.stream().map(Rows.Conversation::id).toList()).size());
      for (Rows.Batch batch : batches) {
        assertTrue(Path.of(batch.path()).startsWith(root), batch.path());
        assertEquals(List.of(), r.audit(batch.id()), batch.id());
      }
    }
    int inserted = 0;
    int runs = 0;
    Matcher m = NEW.matcher(logs);
    while (m.find()) {
      runs++;
      inserted += Integer.parseInt(m.group(1));
      assertEquals(10, Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2)));
    }
    assertEquals(2, runs, logs.toString());
    assertEquals(10, inserted, "each batch registered by exactly one of them: " + logs);
  }

  /** Waits until {@code n} batches are staged under the root (each run blocked on the lock). */
  private static void waitForStaged(Path root, int n, List<Process> runs) throws Exception {
    Path staging = root.resolve(BatchWriter.STAGING);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(staging)) {
        try (Stream<Path> s = Files.list(staging)) {
          if (s.count() >= n) {
            return;
          }
        }
      }
      for (Process p : runs) {
        assertTrue(p.isAlive(), "a run ended before delivering: exit " + (p.isAlive() ? ""
            : p.exitValue()));
      }
      Thread.onSpinWait();
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError("the runs did not both reach their delivery");
  }
}
