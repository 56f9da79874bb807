package dev.parley.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A server's address as a person types it, turned into its WebSocket endpoint: {@code
 * localhost:8080}, {@code http://host:port}, {@code https://host} or a {@code ws://} / {@code
 * wss://} URL. Without a scheme it is plain {@code ws}; without a port, 8080 for a bare host, the
 * scheme's own otherwise; the path defaults to {@code /ws}.
 */
public final class ServerAddress {
  /** Where a local server listens by default. */
  public static final String DEFAULT = "localhost:8080";

  private ServerAddress() {}

  /**
   * @throws IllegalArgumentException with a sentence for people if it is not an address
   */
  public static URI parse(String typed) {
    String text = typed.strip();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("the server address is empty");
    }
    boolean bare = !text.contains("://");
    URI uri;
    try {
      uri = new URI(bare ? "ws://" + text : text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + typed + "' is not a server address", e);
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String ws =
        switch (scheme) {
          case "ws", "http" -> "ws";
          case "wss", "https" -> "wss";
          default ->
              throw new IllegalArgumentException(
                  "'" + typed + "': use http, https, ws or wss, not " + scheme);
        };
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("'" + typed + "' names no host");
    }
    int port = uri.getPort();
    if (port == -1) {
      port = bare ? 8080 : ws.equals("wss") ? 443 : 80;
    }
    String path =
        uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")
            ? "/ws"
            : uri.getRawPath();
    try {
      return new URI(ws, null, host, port, path, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + typed + "' is not a server address", e);
    }
  }
}
