package dev.parley.server.stun;

/**
 * Where the server's own STUN responder listens.
 *
 * @param port the UDP port of Binding requests; 0 picks a free one. The port after it is opened
 *     too, when free, so that {@code parley doctor} can tell whether a NAT maps ports per
 *     destination (RFC 5780).
 * @param required whether the operator asked for this port: if it is taken, the server does not
 *     start, rather than go on without its responder
 */
public record StunSettings(int port, boolean required) {
  /** The IANA port of STUN. */
  public static final int DEFAULT_PORT = 3478;

  public StunSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("the STUN port must be between 0 and 65535, not " + port);
    }
  }

  /** The default: port 3478, and if that is taken, no responder of our own. */
  public static StunSettings defaults() {
    return new StunSettings(DEFAULT_PORT, false);
  }
}
