package io.convoforge.core.llm;

import io.convoforge.core.model.RejectException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Batch mode's collector for one group of elements, on the thread that runs them (the stage code
 * is unchanged: it calls {@link LlmSession#ask} as online). A batch-mode session asked a question
 * whose answer is neither settled here nor in the response cache registers the request (rendered,
 * with its per-element cache key) and throws {@link AnswerPending}; the element's pass is
 * thrown away. Once every element of the group has had its pass, {@link #settle} answers all the
 * registered requests through the stage's provider batches ({@link BatchRunner}), and the
 * waiting elements run again: their asks now find their answers here and go through the same
 * validation, re-ask and dead-letter path as online answers. A re-ask is the next pass's request.
 *
 * <p>A stage that catches rejections per child and goes on (several asks per element that do not
 * depend on each other) registers all of them in one pass, so they share one batch. A stage's
 * per-element work must be a function of the element (as offline determinism already requires),
 * because a pass may run more than once. Settled failures are rethrown to the asker as the
 * {@link RejectException} the runner decided ({@code llm_error}, {@code llm_unavailable}).
 */
public final class BatchScope implements AutoCloseable {
  private static final ThreadLocal<BatchScope> CURRENT = new ThreadLocal<>();

  /** A question waiting for a batch: its cache key, whose it is, and the session that asked. */
  record Pending(String key, String elementId, int round, LlmRequest request,
      LlmSession session) {}

  /** A settled request: the answer, or the rejection it ends in. */
  record Settled(LlmReply reply, String reason, String detail) {
    static Settled answer(LlmReply reply) {
      return new Settled(reply, null, null);
    }

    static Settled rejected(String reason, String detail) {
      return new Settled(null, reason, detail);
    }
  }

  private final Map<String, Settled> settled = new HashMap<>();
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private boolean waiting;
  private int settles;

  private BatchScope() {}

  /** Opens the scope of the current thread (closed by {@link #close}). */
  public static BatchScope open() {
    if (CURRENT.get() != null) {
      throw new IllegalStateException("a batch scope is already open on this thread");
    }
    BatchScope s = new BatchScope();
    CURRENT.set(s);
    return s;
  }

  static BatchScope current() {
    return CURRENT.get();
  }

  /** Starts one pass of one element's work. */
  public void startPass() {
    waiting = false;
  }

  /**
   * True when the pass asked something not answered yet: its outcome is to be discarded and the
   * element run again after {@link #settle}.
   */
  public boolean passWaits() {
    return waiting;
  }

  /** True when some pass registered a request since the last {@link #settle}. */
  public boolean hasPending() {
    return !pending.isEmpty();
  }

  /** The settled answer of {@code key}, null when none; a settled failure is thrown. */
  LlmReply answer(String key) throws RejectException {
    Settled s = settled.get(key);
    if (s == null) {
      return null;
    }
    if (s.reply() == null) {
      throw new RejectException(s.reason(), s.detail());
    }
    return s.reply();
  }

  /** Registers a request and returns what the asking session throws. */
  AnswerPending register(Pending p) {
    pending.putIfAbsent(p.key(), p);
    waiting = true;
    return new AnswerPending(p.session().stage());
  }

  /**
   * Answers every registered request through its stage's provider batches, blocking until each
   * is answered or has failed for good. The first settle of the group always submits batches;
   * later ones (re-asks, an element's further asks) follow {@code llm.batch.online_max}.
   */
  public void settle() {
    Map<LlmSession, List<Pending>> bySession = new IdentityHashMap<>();
    for (Pending p : pending.values()) {
      bySession.computeIfAbsent(p.session(), k -> new ArrayList<>()).add(p);
    }
    pending.clear();
    boolean followUp = settles++ > 0;
    for (Map.Entry<LlmSession, List<Pending>> e : bySession.entrySet()) {
      settled.putAll(new BatchRunner(e.getKey()).run(e.getValue(), followUp));
    }
  }

  @Override
  public void close() {
    CURRENT.remove();
  }

  /** Thrown by a batch-mode ask whose answer is not in yet; the pass is discarded. */
  static final class AnswerPending extends RejectException {
    AnswerPending(String stage) {
      super("llm_batch_pending", stage + ": the answer is in a provider batch not collected yet");
    }
  }
}
