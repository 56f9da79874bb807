package dev.parley.app.doctor;

import java.io.IOException;
import java.net.URI;

/** No HTTP answer from the server at all; the cause says why (refused, timed out, TLS...). */
public final class ServerUnreachableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ServerUnreachableException(URI url, IOException cause) {
    super("no answer from " + url + ": " + cause, cause);
  }
}
