package dev.parley.stun;

/** The server answered with an error response (RFC 8489 §14.8) instead of a success. */
public final class StunErrorResponseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String reason;

  public StunErrorResponseException(int code, String reason) {
    super("the STUN server answered " + code + " " + reason);
    this.code = code;
    this.reason = reason;
  }

  /** The error code, such as 420 (class times 100 plus number). */
  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }
}
