package io.convoforge.core.model;

/**
 * Thrown by a stage's per-element work when the element cannot go on; the stage turns it into a
 * {@link io.convoforge.core.model.Rejected} record. {@code reason} is a short code counted in the
 * report ({@code args_schema_invalid}); {@code detail} says what exactly; {@code rawResponse} is a
 * backend's raw answer where there was one.
 */
public class RejectException extends Exception {
  private final String reason;
  private final String rawResponse;

  public RejectException(String reason, String detail) {
    this(reason, detail, null);
  }

  public RejectException(String reason, String detail, String rawResponse) {
    super(detail);
    this.reason = reason;
    this.rawResponse = rawResponse;
  }

  public String reason() {
    return reason;
  }

  public String rawResponse() {
    return rawResponse;
  }
}
