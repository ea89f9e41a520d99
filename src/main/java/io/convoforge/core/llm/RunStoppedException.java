package io.convoforge.core.llm;

/**
 * The run cannot succeed and was stopped early, for a reason the message states in full (for
 * example every call failing with the same permanent error, see {@link RunBreaker}). It fails the
 * bundle, hence the pipeline; the launcher prints its message as the run's error.
 */
public final class RunStoppedException extends RuntimeException {
  public RunStoppedException(String message) {
    super(message);
  }
}
