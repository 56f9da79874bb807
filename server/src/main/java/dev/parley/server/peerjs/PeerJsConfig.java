package dev.parley.server.peerjs;

import java.time.Duration;

/**
 * The PeerJS endpoint's settings, named after the stock server's options.
 *
 * @param path where the endpoint is mounted (the client's {@code path}); the WebSocket is at {@code
 *     <path>/peerjs}
 * @param key the API key clients must present (the client's {@code key})
 * @param expireTimeout how long a message for a peer that is not connected waits before its sender
 *     is told EXPIRE ({@code expire_timeout})
 * @param aliveTimeout silence after which a client is dropped ({@code alive_timeout})
 * @param concurrentLimit how many clients may be connected at once ({@code concurrent_limit})
 * @param allowDiscovery whether {@code <path>/<key>/peers} lists the connected ids ({@code
 *     allow_discovery})
 * @param maxQueuedPerPeer how many messages may wait for one peer that is not connected
 */
public record PeerJsConfig(
    String path,
    String key,
    Duration expireTimeout,
    Duration aliveTimeout,
    int concurrentLimit,
    boolean allowDiscovery,
    int maxQueuedPerPeer) {

  /** How many messages may wait for one peer by default (not an option). */
  public static final int MAX_QUEUED_PER_PEER = 100;

  public PeerJsConfig {
    if (!path.matches("(/[A-Za-z0-9._~-]+)+")) {
      throw new IllegalArgumentException(
          "the PeerJS path is like /peerjs: it starts with '/', does not end with one, and is not"
              + " the root (Parley's own pages live there): "
              + path);
    }
    if (key.isBlank()) {
      throw new IllegalArgumentException("the PeerJS key cannot be empty");
    }
    if (concurrentLimit < 1 || maxQueuedPerPeer < 1) {
      throw new IllegalArgumentException("the PeerJS limits must allow at least one");
    }
    if (expireTimeout.isNegative()
        || expireTimeout.isZero()
        || aliveTimeout.isNegative()
        || aliveTimeout.isZero()) {
      throw new IllegalArgumentException("the PeerJS timeouts must be positive");
    }
  }

  /** The WebSocket path: {@code <path>/peerjs}, as the PeerJS client builds it. */
  public String webSocketPath() {
    return path + "/peerjs";
  }
}
