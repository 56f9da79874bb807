package dev.parley.server;

import dev.parley.server.stun.StunPortTakenException;
import dev.parley.server.transport.TransportUnavailableException;
import java.net.BindException;

/** Why a server did not start, in a sentence its operator can act on. */
public final class StartFailure {
  private StartFailure() {}

  /** What {@link ParleyServer#start} failing with {@code e} means for {@code config}. */
  public static String explain(RuntimeException e, ServerConfig config) {
    if (e instanceof StunPortTakenException taken) {
      return taken.getMessage() + ".";
    }
    if (e instanceof TransportUnavailableException unavailable) {
      return unavailable.getMessage() + ".";
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException) {
        return "cannot listen on "
            + config.host()
            + ":"
            + config.port()
            + " ("
            + cause.getMessage()
            + "); is another server using it? Choose another with --port.";
      }
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return e.getMessage() + (e.getCause() == null ? "" : " (" + root.getMessage() + ")");
  }
}
