package dev.parley.stun;

/**
 * Bytes that are not a well-formed STUN message, or a message that could not be encoded as one; the
 * message says which rule of RFC 8489 (or limit of this codec) is broken.
 */
public final class StunFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public StunFormatException(String message) {
    super(message);
  }
}
