package io.convoforge.core.llm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The run-wide LLM budget on a cluster, split among the worker JVMs that are calling at the
 * time. Each such JVM holds one {@link Throttle} for the run and a lease: a small file in {@code
 * <cache>/_budget/<budget>/} that it rewrites every {@value #POLL_MS} ms while it has calls
 * waiting, in flight or made in the last {@value #IDLE_MS} ms. Its share of the rpm, tpm and
 * in-flight budget is 1 / the number of live leases, a lease being live when the file system's
 * clock shows it rewritten within {@value #TTL_MS} ms of this JVM's own (one clock, whatever
 * the machines' clocks say).
 *
 * <p>Why it holds: a JVM that starts calling writes its lease and waits {@value #JOIN_MS} ms,
 * long enough for every other JVM to have seen it and lowered its share, before it calls; a JVM
 * that has not refreshed its view for {@value #STALE_MS} ms (a stalled file system) stops
 * calling until it has. A JVM that goes idle deletes its lease, and one that dies stops
 * rewriting it: the others raise their shares when they see that, so the budget of a lost
 * TaskManager passes to the rest within {@value #TTL_MS} ms and nothing is ever spent twice.
 * The only excess is a refresh interval's worth while shares change, within the second of burst
 * the token buckets allow anyway.
 *
 * <p>It needs a directory every worker sees: the response cache ({@code --cache}, a shared
 * mount or {@code gs://...}). With the cache off, each JVM takes 1 / parallelism of the budget
 * (never more than the budget; less when fewer JVMs call).
 */
final class SharedBudget implements Runnable {
  static final long POLL_MS = 1000;
  static final long TTL_MS = 5000;
  static final long JOIN_MS = 2500;
  static final long IDLE_MS = 3000;
  static final long STALE_MS = 3500;

  /** The parallelism of the cluster run in this JVM; 0 when not on a cluster. */
  private static volatile int clusterParallelism;

  private final String dir;
  private final String name = UUID.randomUUID() + ".lease";
  private final Throttle throttle;
  private boolean joined;
  private long joinedAt;

  private SharedBudget(String dir, Throttle throttle) {
    this.dir = dir;
    this.throttle = throttle;
  }

  /**
   * Marks this JVM as a worker of a run on a cluster of {@code parallelism} (the model stages
   * call this when they start on a runner other than the DirectRunner): from now on the run's
   * calls in this JVM share one throttle, coordinated with the other workers.
   */
  static void onCluster(int parallelism) {
    clusterParallelism = Math.max(1, parallelism);
  }

  static boolean onCluster() {
    return clusterParallelism > 0;
  }

  /** Coordinates {@code throttle} (the whole budget) with the other workers of the budget. */
  static Throttle join(String budgetId, LlmSettings s, Throttle throttle) {
    if (!s.cacheEnabled()) {
      throttle.share(1.0 / clusterParallelism, Long.MAX_VALUE);
      return throttle;
    }
    String cache = s.cacheDir().endsWith("/") ? s.cacheDir() : s.cacheDir() + "/";
    SharedBudget lease = new SharedBudget(
        cache + "_budget/" + Prompts.sha256(budgetId).substring(0, 16) + "/", throttle);
    throttle.share(1, 0);
    Thread t = new Thread(lease, "convoforge-budget-lease");
    t.setDaemon(true);
    t.start();
    return throttle;
  }

  @Override
  public void run() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        step(System.nanoTime() / 1_000_000);
      } catch (IOException | RuntimeException e) {
        // A file system hiccup: no fresh view, so the throttle shuts when STALE_MS are up.
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void step(long nowMs) throws IOException {
    if (!throttle.busy(IDLE_MS * 1_000_000)) {
      if (joined) {
        joined = false;
        throttle.share(1, 0);
        FileSystems.delete(List.of(lease()));
      }
      return;
    }
    if (!joined) {
      joined = true;
      joinedAt = nowMs;
    }
    write();
    List<MatchResult.Metadata> leases = FileSystems.match(List.of(dir + "*.lease"),
        EmptyMatchTreatment.ALLOW).get(0).metadata();
    long mine = -1;
    for (MatchResult.Metadata m : leases) {
      if (m.resourceId().getFilename().equals(name)) {
        mine = m.lastModifiedMillis();
      }
    }
    if (mine < 0) {
      return;
    }
    int live = 0;
    for (MatchResult.Metadata m : leases) {
      if (m.lastModifiedMillis() >= mine - TTL_MS) {
        live++;
      }
    }
    // Calls start only once the others can have seen this lease, and only while this view
    // is fresh: a stalled file system shuts the throttle after STALE_MS.
    long open = nowMs - joinedAt >= JOIN_MS ? STALE_MS * 1_000_000 : 0;
    throttle.share(1.0 / Math.max(1, live), open);
  }

  private ResourceId lease() {
    return FileSystems.matchNewResource(dir + name, false);
  }

  private void write() throws IOException {
    ResourceId target = lease();
    if ("file".equals(target.getScheme())) {
      java.nio.file.Files.createDirectories(java.nio.file.Path.of(
          target.getCurrentDirectory().toString().replaceFirst("^file:", "")));
    }
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(target,
        MimeTypes.TEXT))) {
      out.write((ProcessHandle.current().pid() + " " + System.currentTimeMillis() + "\n")
          .getBytes(StandardCharsets.UTF_8));
    }
  }
}
