package io.convoforge.core.run;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Live progress of a running pipeline, polled from its Beam metrics (attempted values): per
 * stage the elements out and rejected ({@link Funnel}'s {@code elements} counter, keyed by the
 * counting steps {@code Count<i>Out}, {@code Count<i>Rejected}, {@code Count<i>Created}),
 * elements finished per second, an ETA when the run's size is known and nothing fans out, and
 * the LLM calls, tokens, cost and throttled time ({@code convoforge.llm}). On a terminal one
 * status line redrawn twice a second; otherwise a plain line every {@link #PLAIN_EVERY_MS}.
 * Until the runner hands back a result (Flink only returns it at the end) it shows the elapsed
 * time. Silent unless {@link #configure}d ({@code run} does; tests and
 * benchmarks stay quiet).
 */
public final class Progress {
  static final long PLAIN_EVERY_MS = 5000;
  static final long TTY_EVERY_MS = 500;
  private static final Pattern STEP = Pattern.compile("(?:^|/)Count(\\d+)(Out|Rejected|Created)"
      + "(?:/|$)");
  private static volatile PrintStream out;
  private static volatile boolean tty;

  private final List<String> stages;
  private final Long total;
  private final String runner;
  private final long start = System.nanoTime();
  private volatile Supplier<PipelineResult> result = () -> null;
  private Thread thread;
  private volatile boolean stopped;
  private volatile int lastWidth;

  /** Where progress goes: {@code null} silences it; {@code terminal}: redraw one line. */
  public static void configure(PrintStream stream, boolean terminal) {
    out = stream;
    tty = terminal;
  }

  /** One poll's numbers. {@code out[i]}, {@code rejected[i]}, {@code created[i]}: stage i. */
  public record Snapshot(List<String> stages, long[] out, long[] rejected, long[] created,
      double seconds, Long total, long llmCalls, long tokens, double costUsd,
      double throttledSeconds) {}

  private Progress(List<String> stages, Long total, String runner) {
    this.stages = stages;
    this.total = total;
    this.runner = runner;
  }

  /**
   * Starts reporting a run of {@code stages} (funnel order, source first) whose source makes
   * {@code total} elements (null: unknown) on {@code runner} (its simple class name); a no-op
   * when silenced.
   */
  public static Progress start(List<String> stages, Long total, String runner) {
    Progress p = new Progress(stages, total, runner);
    if (out != null) {
      p.thread = new Thread(p::loop, "convoforge-progress");
      p.thread.setDaemon(true);
      p.thread.start();
    }
    return p;
  }

  /** The running pipeline's result, once the runner returns it. */
  public void running(PipelineResult r) {
    result = () -> r;
  }

  /** Stops reporting and clears the status line. */
  public void stop() {
    stopped = true;
    if (thread == null) {
      return;
    }
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (tty && lastWidth > 0) {
      out.print("\r" + " ".repeat(lastWidth) + "\r");
      out.flush();
    }
  }

  private void loop() {
    long every = tty ? TTY_EVERY_MS : PLAIN_EVERY_MS;
    while (!stopped) {
      try {
        Thread.sleep(every);
      } catch (InterruptedException e) {
        return;
      }
      if (stopped) {
        return;
      }
      String line;
      try {
        PipelineResult r = result.get();
        line = r == null ? waiting((System.nanoTime() - start) / 1e9, runner)
            : format(snapshot(r));
      } catch (RuntimeException e) {
        continue;
      }
      if (tty) {
        int width = terminalWidth();
        String shown = line.length() > width - 1 ? line.substring(0, width - 2) + "…" : line;
        out.print("\r" + shown + " ".repeat(Math.max(0, lastWidth - shown.length())));
        lastWidth = shown.length();
      } else {
        out.println(line);
      }
      out.flush();
    }
  }

  Snapshot snapshot(PipelineResult r) {
    int n = stages.size();
    long[] o = new long[n];
    long[] rej = new long[n];
    long[] cr = new long[n];
    long calls = 0;
    long tokens = 0;
    long costMicros = 0;
    long throttledMs = 0;
    MetricQueryResults q = r.metrics().queryMetrics(MetricsFilter.builder().build());
    for (MetricResult<Long> c : q.getCounters()) {
      long v = c.getAttempted() == null ? 0 : c.getAttempted();
      String ns = c.getName().getNamespace();
      String name = c.getName().getName();
      if (ns.equals(Funnel.class.getName()) && name.equals(Funnel.ELEMENTS)) {
        Matcher m = STEP.matcher(c.getKey().stepName());
        if (m.find() && Integer.parseInt(m.group(1)) < n) {
          int i = Integer.parseInt(m.group(1));
          switch (m.group(2)) {
            case "Out" -> o[i] += v;
            case "Rejected" -> rej[i] += v;
            default -> cr[i] += v;
          }
        }
      } else if (ns.equals("convoforge.llm")) {
        switch (name) {
          case "calls" -> calls += v;
          case "tokens_in", "tokens_out" -> tokens += v;
          case "cost_micro_usd" -> costMicros += v;
          case "throttled_ms" -> throttledMs += v;
          default -> { }
        }
      }
    }
    return new Snapshot(stages, o, rej, cr, (System.nanoTime() - start) / 1e9, total, calls,
        tokens, costMicros / 1e6, throttledMs / 1000.0);
  }

  /** The status line of a snapshot (what a terminal shows and a log gets). */
  public static String format(Snapshot s) {
    StringBuilder sb = new StringBuilder("[").append(clock(s.seconds())).append("] ");
    long done = 0;
    long fanOut = 0;
    for (int i = 0; i < s.stages().size(); i++) {
      sb.append(i == 0 ? "" : " › ").append(s.stages().get(i)).append(' ')
          .append(count(s.out()[i]));
      if (s.rejected()[i] > 0) {
        sb.append(" (−").append(count(s.rejected()[i])).append(')');
      }
      done += s.rejected()[i];
      if (i > 0) {
        fanOut += s.created()[i];
      }
    }
    done += s.out()[s.out().length - 1];
    double rate = s.seconds() <= 0 ? 0 : done / s.seconds();
    sb.append(String.format(Locale.ROOT, " | %s/s", rate >= 100 ? String.valueOf(Math.round(rate))
        : String.format(Locale.ROOT, "%.1f", rate)));
    if (s.total() != null && fanOut == 0 && rate > 0 && done < s.total()) {
      sb.append(" | ETA ").append(clock((s.total() - done) / rate));
    }
    if (s.llmCalls() > 0 || s.tokens() > 0) {
      sb.append(String.format(Locale.ROOT, " | LLM %s calls, %s tokens, $%.4f", count(s.llmCalls()),
          count(s.tokens()), s.costUsd()));
      if (s.throttledSeconds() > 0) {
        sb.append(String.format(Locale.ROOT, ", throttled %.1f s", s.throttledSeconds()));
      }
    }
    return sb.toString();
  }

  static String waiting(double seconds, String runner) {
    return "[" + clock(seconds) + "] " + ("DirectRunner".equals(runner) ? "starting…"
        : "running on " + runner + ", which hands back its counts when the job ends (a"
            + " cluster's web UI shows them live)");
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  static String count(long n) {
    return n >= 10_000_000 ? Math.round(n / 1e6) + "M" : n >= 10_000 ? Math.round(n / 1e3) + "k"
        : String.valueOf(n);
  }

  private static int terminalWidth() {
    try {
      return Math.max(40, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "120")));
    } catch (NumberFormatException e) {
      return 120;
    }
  }
}
