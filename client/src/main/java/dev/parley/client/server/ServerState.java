package dev.parley.client.server;

/** Where a {@link ServerSession} stands with its server. */
public enum ServerState {
  /** Logging in for the first time. */
  CONNECTING,
  /** Logged in: presence is live and signals are relayed. */
  ONLINE,
  /** The connection broke; trying again with backoff. Open peer-to-peer links keep working. */
  RECONNECTING,
  /** Closed by us, or given up for good (the name now belongs to another key). */
  CLOSED
}
