package io.convoforge.core.llm;

/**
 * A failed call, classified for the retry loop: {@link Kind#RATE_LIMITED} (429; back off by
 * {@link #retryAfterMillis()} when the server said so, and shrink concurrency), {@link
 * Kind#TRANSIENT} (5xx, timeouts, connection errors: exponential backoff with jitter) or {@link
 * Kind#PERMANENT} (any other 4xx: no retry). Messages never contain the API key.
 */
public final class LlmException extends Exception {
  public enum Kind { RATE_LIMITED, TRANSIENT, PERMANENT }

  private final Kind kind;
  private final long retryAfterMillis;

  public LlmException(Kind kind, String message, long retryAfterMillis) {
    super(message);
    this.kind = kind;
    this.retryAfterMillis = retryAfterMillis;
  }

  public Kind kind() {
    return kind;
  }

  /** The server's Retry-After in milliseconds, or -1. */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }

  /**
   * The kind of an HTTP status: 429 rate-limited; 5xx, 408 and 409 transient; any other 4xx
   * permanent. Also how a batch result line's status is read.
   */
  static Kind kindOf(int status) {
    if (status == 429) {
      return Kind.RATE_LIMITED;
    }
    return status >= 500 || status == 408 || status == 409 || status <= 0 ? Kind.TRANSIENT
        : Kind.PERMANENT;
  }

  /** Parses a Retry-After header value in seconds (fractional allowed); -1 when absent or odd. */
  static long parseRetryAfter(String v) {
    if (v == null || v.isBlank()) {
      return -1;
    }
    try {
      return Math.round(Double.parseDouble(v.trim()) * 1000);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
