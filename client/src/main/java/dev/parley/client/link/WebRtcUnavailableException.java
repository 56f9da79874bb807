package dev.parley.client.link;

/**
 * WebRTC's native library could not be loaded: the platform is not supported, or a library it needs
 * is missing (on Debian and Ubuntu, PulseAudio's client library, package {@code libpulse0}).
 */
public final class WebRtcUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WebRtcUnavailableException(Throwable cause) {
    super(
        "WebRTC's native library could not be loaded ("
            + rootMessage(cause)
            + "); on Debian or Ubuntu install it with: sudo apt-get install libpulse0",
        cause);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) { // getCause() is null, never t itself, at the end
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
