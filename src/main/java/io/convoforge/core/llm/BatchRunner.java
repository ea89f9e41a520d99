package io.convoforge.core.llm;

import io.convoforge.core.llm.BatchApi.Line;
import io.convoforge.core.llm.BatchApi.Polled;
import io.convoforge.core.llm.BatchApi.Results;
import io.convoforge.core.llm.BatchApi.State;
import io.convoforge.core.llm.BatchBook.Manifest;
import io.convoforge.core.llm.BatchScope.Pending;
import io.convoforge.core.llm.BatchScope.Settled;
import io.convoforge.core.model.RejectException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Answers one settle's requests of one stage through the provider's batch API.
 *
 * <p>In: the requests a group of elements is waiting for. Those already in the response cache
 * are answered from it. A follow-up settle (re-asks, an element's further asks) of at most
 * {@code llm.batch.online_max} requests is called online, at the online price, because a batch
 * answers in hours and a few online calls in seconds; everything else goes in batches. A request
 * already in an unfinished batch of any run ({@link BatchBook}) is waited for there; the others
 * are split by the provider's limits, and each batch's manifest is written before it is
 * submitted and again with its id as soon as it is. Batches are polled with backoff ({@code
 * poll_ms} doubling to {@code poll_max_ms}); a finished batch's answers go to the response cache
 * before its manifest says it was collected.
 *
 * <p>Out: per request, the answer or the rejection. Retries: a request whose line failed
 * transiently (429, 5xx), had no line (missing, or unreadable), or whose batch expired, was
 * cancelled or failed, is resubmitted in a new batch until it has been submitted {@code
 * llm.batch.max_submissions} times (3), counted across runs; then it is rejected {@code
 * llm_unavailable} with the last reason. A line's permanent error (another 4xx) is {@code
 * llm_error} at once and counts towards the {@link RunBreaker}. HTTP calls to the batch API are
 * retried like model calls ({@code max_attempts}, {@code backoff_ms}); a batch that cannot be
 * polled or downloaded fails the bundle, and the rerun finds it again through its manifest.
 */
final class BatchRunner {
  private final LlmSession session;
  private final LlmSettings s;
  private final String stage;
  private final BatchMeter meter = new BatchMeter();
  private final RunBreaker breaker;

  BatchRunner(LlmSession session) {
    this.session = session;
    this.s = session.settings();
    this.stage = session.stage();
    this.breaker = RunBreaker.forRun(session.runId());
  }

  /** Settles {@code asked}; {@code followUp}: not the group's first settle. */
  Map<String, Settled> run(List<Pending> asked, boolean followUp) {
    Map<String, Settled> out = new HashMap<>();
    SortedMap<String, Pending> todo = new TreeMap<>();
    for (Pending p : asked) {
      LlmReply hit = session.cache() == null ? null : session.cache().get(p.key());
      if (hit != null) {
        session.meter().cacheHits.inc();
        out.put(p.key(), Settled.answer(hit));
      } else {
        todo.put(p.key(), p);
      }
    }
    if (todo.isEmpty()) {
      return out;
    }
    if (followUp && todo.size() <= s.batchOnlineMax()) {
      for (Pending p : todo.values()) {
        meter.online.inc();
        try {
          out.put(p.key(), Settled.answer(session.online(p.key(), p.elementId(), p.request())));
        } catch (RejectException e) {
          out.put(p.key(), Settled.rejected(e.reason(), e.getMessage()));
        }
      }
      return out;
    }
    try {
      new Work(todo, out).run();
    } catch (IOException e) {
      throw new UncheckedIOException("batch manifests of stage " + stage + ": " + e.getMessage(),
          e);
    }
    return out;
  }

  /** The state of one settle: what is waited for, in which batches, and what to resubmit. */
  private final class Work {
    private final SortedMap<String, Pending> todo;
    private final Map<String, Settled> out;
    private final BatchBook book;
    private final BatchApi api;
    private final List<Manifest> active = new ArrayList<>();
    private final SortedMap<String, Integer> again = new TreeMap<>();

    Work(SortedMap<String, Pending> todo, Map<String, Settled> out) {
      this.todo = todo;
      this.out = out;
      this.book = BatchBook.of(s.cacheDir(), s.provider(), stage);
      this.api = session.batchApi();
    }

    void run() throws IOException {
      book.reload();
      Map<String, Manifest> attached = new LinkedHashMap<>();
      SortedMap<String, Integer> fresh = new TreeMap<>();
      for (String key : todo.keySet()) {
        Manifest m = book.open(key);
        int n = book.submissions(key);
        if (m != null) {
          attached.put(m.id(), m);
        } else if (n >= s.batchMaxSubmissions()) {
          fail(key, "llm_unavailable", stage + ": no answer after " + n
              + " batch submissions (earlier runs)");
        } else {
          fresh.put(key, n + 1);
        }
      }
      for (Manifest m : attached.values()) {
        if (BatchBook.SUBMITTING.equals(m.state())) {
          // Killed between writing the manifest and recording the batch id: ask the provider.
          String id;
          try {
            id = retried("finding batch " + m.id(), () -> api.find(m.id()));
          } catch (LlmException e) {
            throw new IllegalStateException(stage + ": could not look up batch " + m.id()
                + " at the provider (" + e.getMessage() + "); run the same command again");
          }
          if (id == null) {
            ours(m).forEach(k -> fresh.put(k, m.requests().get(k)));
            book.save(m.collected("never reached the provider; resubmitted"));
            continue;
          }
          Manifest found = m.submitted(id);
          book.save(found);
          active.add(found);
        } else {
          active.add(m);
        }
      }
      long start = System.nanoTime();
      submit(fresh);
      long interval = s.batchPollMillis();
      while (!active.isEmpty()) {
        sleep(interval);
        interval = Math.min(s.batchPollMaxMillis(), interval * 2);
        for (Manifest m : List.copyOf(active)) {
          Polled p = poll(m);
          if (p.state().done()) {
            active.remove(m);
            collect(m, p);
          }
        }
        if (!again.isEmpty()) {
          SortedMap<String, Integer> next = new TreeMap<>(again);
          again.clear();
          submit(next);
          interval = s.batchPollMillis();
        }
      }
      meter.waitMs.inc((System.nanoTime() - start) / 1_000_000);
    }

    /** Submits {@code keys} (key -> submission number) in batches within the limits. */
    private void submit(SortedMap<String, Integer> keys) throws IOException {
      Map<String, SortedMap<String, Integer>> byModel = new TreeMap<>();
      keys.forEach((k, n) -> byModel.computeIfAbsent(todo.get(k).request().model(),
          x -> new TreeMap<>()).put(k, n));
      int most = Math.min(api.maxRequests(), s.batchMaxRequests());
      for (Map.Entry<String, SortedMap<String, Integer>> e : byModel.entrySet()) {
        SortedMap<String, Integer> chunk = new TreeMap<>();
        long bytes = 0;
        for (Map.Entry<String, Integer> k : e.getValue().entrySet()) {
          long size = api.size(todo.get(k.getKey()).request());
          if (!chunk.isEmpty() && (chunk.size() >= most || bytes + size > api.maxBytes())) {
            submitOne(e.getKey(), chunk);
            chunk = new TreeMap<>();
            bytes = 0;
          }
          chunk.put(k.getKey(), k.getValue());
          bytes += size;
        }
        if (!chunk.isEmpty()) {
          submitOne(e.getKey(), chunk);
        }
      }
    }

    private void submitOne(String model, SortedMap<String, Integer> chunk) throws IOException {
      Manifest m = BatchBook.plan(s.provider(), stage, model, chunk);
      book.save(m);
      SortedMap<String, LlmRequest> requests = new TreeMap<>();
      chunk.keySet().forEach(k -> requests.put(k, todo.get(k).request()));
      String id;
      try {
        id = retried("submitting a batch", () -> api.submit(m.id(), model, requests));
      } catch (LlmException e) {
        id = e.kind() == LlmException.Kind.PERMANENT ? null : findQuietly(m);
        if (id == null) {
          if (e.kind() == LlmException.Kind.PERMANENT) {
            // Refused: nothing was created, so nothing is left to find later.
            book.save(m.collected("refused: " + e.getMessage()));
          }
          for (String k : chunk.keySet()) {
            lost(k, e.kind(), "batch submission: " + e.getMessage());
          }
          return;
        }
      }
      Manifest submitted = m.submitted(id);
      book.save(submitted);
      meter.batches.inc();
      meter.requests.inc(chunk.size());
      meter.resubmitted.inc(chunk.values().stream().filter(n -> n > 1).count());
      active.add(submitted);
    }

    /** After a failed create that may have reached the provider: is the batch there? */
    private String findQuietly(Manifest m) {
      try {
        return api.find(m.id());
      } catch (LlmException e) {
        return null;
      }
    }

    private Polled poll(Manifest m) {
      meter.polls.inc();
      try {
        return retried("polling batch " + m.batch(), () -> api.poll(m.batch()));
      } catch (LlmException e) {
        if (e.kind() == LlmException.Kind.PERMANENT) {
          // The provider does not know the batch (deleted, another account): resubmit.
          return new Polled(State.FAILED, "the provider does not know it (" + e.getMessage()
              + ")", null);
        }
        throw new IllegalStateException(stage + ": could not poll batch " + m.batch() + " ("
            + e.getMessage() + "); it is recorded under " + s.cacheDir()
            + "/batches: run the same command again to pick it up");
      }
    }

    /** Caches a finished batch's answers, then settles or resubmits each of our requests. */
    private void collect(Manifest m, Polled p) throws IOException {
      Map<String, LlmRequest> known = new HashMap<>();
      for (String k : ours(m)) {
        known.put(k, todo.get(k).request());
      }
      Results r = new Results(Map.of(), 0);
      try {
        if (p.handle() != null) {
          r = retried("reading the results of batch " + m.batch(),
              () -> api.results(p, m.id(), known));
        }
      } catch (LlmException e) {
        throw new IllegalStateException(stage + ": could not read the results of batch "
            + m.batch() + " (" + e.getMessage() + "); run the same command again to pick them"
            + " up");
      }
      boolean first = book.claim(m);
      double factor = s.batchPriceFactor();
      for (Map.Entry<String, Line> e : r.lines().entrySet()) {
        if (e.getValue().reply() != null && m.requests().containsKey(e.getKey())) {
          session.store(e.getKey(), e.getValue().reply());
          if (first) {
            tokens(e.getValue().reply(), factor);
          }
        }
      }
      String why = p.state() != State.SUCCEEDED
          ? "batch " + p.state().name().toLowerCase(Locale.ROOT)
              + (p.detail() == null ? "" : " (" + p.detail() + ")")
          : r.unreadable() > 0 ? "no readable result line (" + r.unreadable()
              + " unreadable lines in the output)" : "no result line";
      for (String k : ours(m)) {
        Line line = r.lines().get(k);
        if (line != null && line.reply() != null) {
          meter.answered.inc();
          breaker.success();
          out.put(k, Settled.answer(line.reply()));
        } else if (line != null && line.kind() == LlmException.Kind.PERMANENT) {
          lost(k, line.kind(), "batch " + m.batch() + ": " + line.error());
        } else {
          String reason = line != null ? line.error() : why;
          int n = m.requests().get(k);
          if (n < s.batchMaxSubmissions()) {
            again.put(k, n + 1);
          } else {
            fail(k, "llm_unavailable", stage + ": no answer after " + n
                + " batch submissions; last: " + reason + " (batch " + m.batch() + ")");
          }
        }
      }
      book.save(m.collected(p.state().name().toLowerCase(Locale.ROOT) + ", "
          + r.lines().values().stream().filter(l -> l.reply() != null).count() + " of "
          + m.requests().size() + " answered"));
    }

    /** Our requests in {@code m}: the keys this settle waits for. */
    private List<String> ours(Manifest m) {
      List<String> keys = new ArrayList<>();
      for (String k : m.requests().keySet()) {
        if (todo.containsKey(k) && !out.containsKey(k)) {
          keys.add(k);
        }
      }
      return keys;
    }

    /** A request that failed outright: permanent errors count towards the breaker. */
    private void lost(String key, LlmException.Kind kind, String error) {
      if (kind == LlmException.Kind.PERMANENT) {
        fail(key, "llm_error", stage + ": " + error);
        breaker.permanent(s.provider(), stage, error, s.stopAfterErrors());
      } else {
        fail(key, "llm_unavailable", stage + ": " + error);
      }
    }

    private void fail(String key, String reason, String detail) {
      meter.failed.inc();
      out.put(key, Settled.rejected(reason, detail));
    }
  }

  /** Tokens of a batch answer, in both the llm and the batch sections, at the batch price. */
  private void tokens(LlmReply r, double factor) {
    String model = s.model(stage);
    long micros = Math.round((r.tokensIn() * s.priceOf(model, "input")
        + r.tokensOut() * s.priceOf(model, "output")) * factor);
    meter.tokensIn.inc(r.tokensIn());
    meter.tokensOut.inc(r.tokensOut());
    meter.costMicros.inc(micros);
    CallMeter llm = session.meter();
    llm.tokensIn.inc(r.tokensIn());
    llm.tokensOut.inc(r.tokensOut());
    llm.costMicros.inc(micros);
  }

  /** One batch API call. */
  interface BatchCall<T> {
    T call() throws LlmException;
  }

  /** {@code op} with the model calls' retry rules: transient errors back off and retry. */
  private <T> T retried(String what, BatchCall<T> op) throws LlmException {
    LlmException last = null;
    for (int n = 1; n <= s.maxAttempts(); n++) {
      try {
        return op.call();
      } catch (LlmException e) {
        if (e.kind() == LlmException.Kind.PERMANENT) {
          throw e;
        }
        last = e;
        if (n < s.maxAttempts()) {
          sleep(e.retryAfterMillis() >= 0 ? e.retryAfterMillis()
              : Math.min(60_000, s.backoffMillis() << Math.min(n - 1, 10))
                  + ThreadLocalRandom.current().nextLong(1 + s.backoffMillis()));
        }
      }
    }
    throw new LlmException(last.kind(), what + ": gave up after " + s.maxAttempts()
        + " attempts; last error: " + last.getMessage(), -1);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(Math.max(0, ms));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a batch", e);
    }
  }
}
