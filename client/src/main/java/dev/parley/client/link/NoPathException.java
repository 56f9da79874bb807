package dev.parley.client.link;

/**
 * ICE tried every pair of candidates and none worked: the two networks let no direct connection
 * through, and no relay carried one. The message is one sentence for a person; {@link #reason()}
 * says which case it is.
 */
public final class NoPathException extends LinkException {
  private static final long serialVersionUID = 1L;

  /** Why no path was found. */
  public enum Reason {
    /** The server offers no relay (no TURN configured). */
    NO_RELAY,
    /** The relay answered, and refused our credentials (or refused us otherwise). */
    RELAY_REFUSED,
    /** The relay did not answer. */
    RELAY_UNREACHABLE,
    /** We had a relay address, and still no pair worked. */
    RELAY_FAILED
  }

  private final Reason reason;

  public NoPathException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
