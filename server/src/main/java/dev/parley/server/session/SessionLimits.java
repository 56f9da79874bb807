package dev.parley.server.session;

import java.time.Duration;

/**
 * The limits a session enforces.
 *
 * @param maxFrameBytes the largest text frame accepted
 * @param messagesPerSecond sustained frames per second per connection
 * @param messageBurst frames accepted at once before the rate applies
 * @param loginTimeout how long a connection may stay without logging in
 * @param heartbeatInterval how often the server pings an idle connection
 * @param heartbeatTimeout silence after which a connection is taken for dead
 */
public record SessionLimits(
    int maxFrameBytes,
    double messagesPerSecond,
    int messageBurst,
    Duration loginTimeout,
    Duration heartbeatInterval,
    Duration heartbeatTimeout) {

  public SessionLimits {
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException("the frame limit must be at least 1024 bytes");
    }
    if (messagesPerSecond <= 0 || messageBurst < 1) {
      throw new IllegalArgumentException("the rate limit must allow at least one message");
    }
    if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
      throw new IllegalArgumentException("the heartbeat timeout must exceed the interval");
    }
  }
}
