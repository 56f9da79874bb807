package dev.parley.server.transport;

/** The transport {@code --transport} asks for cannot run here: its native library did not load. */
public final class TransportUnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** {@code transport} cannot run: {@code cause} is why its native library did not load. */
  public TransportUnavailableException(Transport transport, Throwable cause) {
    super(
        "the "
            + transport
            + " transport cannot run here ("
            + TransportChoice.reason(cause)
            + "); choose another with --transport, such as --transport nio",
        cause);
  }
}
