package dev.parley.stun;

/** No matching response arrived before the deadline, retransmissions included. */
public final class StunTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StunTimeoutException(String message) {
    super(message);
  }
}
