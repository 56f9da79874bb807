package dev.parley.server.transport;

import java.time.Duration;

/**
 * What every TCP connection on the server's port is held to, whatever it turns out to speak, so
 * that one host cannot use up the server's file descriptors with sockets that never become
 * sessions.
 *
 * @param perAddress TCP connections open at once from one IP address; one more is closed as soon as
 *     it is accepted. WebSockets among them are capped further by the sessions' own limit.
 * @param requestTimeout time a connection has to deliver a complete HTTP request: its head from
 *     when it opens (after TLS, within the same time), its body from the end of its head
 * @param idleTimeout time a keep-alive connection may wait, after a response, for its next
 *     request's head
 * @param trustedProxies load balancers whose connections are counted under the client their PROXY
 *     header names
 */
public record SocketLimits(
    int perAddress, Duration requestTimeout, Duration idleTimeout, TrustedProxies trustedProxies) {
  /** Trusting no proxy. */
  public SocketLimits(int perAddress, Duration requestTimeout, Duration idleTimeout) {
    this(perAddress, requestTimeout, idleTimeout, TrustedProxies.NONE);
  }

  /** The cap per address unless one is given: room for each WebSocket allowed and as much HTTP. */
  public static int perAddressFor(int webSocketsPerAddress) {
    return (int) Math.min(Integer.MAX_VALUE, 2L * webSocketsPerAddress);
  }

  public SocketLimits {
    if (perAddress < 1) {
      throw new IllegalArgumentException("at least one TCP connection per address must be allowed");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("the request timeout must be positive");
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("the idle timeout must be positive");
    }
  }
}
