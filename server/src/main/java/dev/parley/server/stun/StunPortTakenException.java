package dev.parley.server.stun;

/** The operator asked for a STUN port that cannot be had; its message says what to do. */
public final class StunPortTakenException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  StunPortTakenException(String message, Throwable cause) {
    super(message, cause);
  }
}
