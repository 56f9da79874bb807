package dev.parley.server.peerjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Json;
import dev.parley.protocol.ProtocolException;
import dev.parley.server.connection.Connection;
import dev.parley.server.limits.RateLimiter;
import dev.parley.server.metrics.Metrics;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Reads a PeerJS client's frames: rate-limited, strictly parsed, and bad ones answered with an
 * ERROR whose payload carries the same stable code as the native protocol's errors. Only the sender
 * hears about it.
 */
final class PeerJsFrames {
  private final Connection connection;
  private final Metrics metrics;
  private final RateLimiter limiter;
  private final LongSupplier clock;
  private final double messagesPerSecond;

  PeerJsFrames(
      Connection connection,
      Metrics metrics,
      double messagesPerSecond,
      int messageBurst,
      LongSupplier clock) {
    this.connection = connection;
    this.metrics = metrics;
    this.clock = clock;
    this.messagesPerSecond = messagesPerSecond;
    this.limiter = new RateLimiter(messagesPerSecond, messageBurst, clock.getAsLong());
  }

  /**
   * The message in {@code utf8} (a text frame's bytes), if it is a JSON object with a string type
   * and within the rate.
   */
  Optional<ObjectNode> read(byte[] utf8) {
    long now = clock.getAsLong();
    if (!limiter.tryAcquire(now)) {
      if (limiter.shouldReport(now)) {
        error(
            ErrorCode.RATE_LIMITED,
            "too many messages; frames are dropped until the rate falls below "
                + messagesPerSecond
                + " per second");
      }
      return Optional.empty();
    }
    JsonNode node;
    try {
      node = Json.parse(utf8);
    } catch (ProtocolException e) {
      error(e.code(), String.valueOf(e.getMessage()));
      return Optional.empty();
    }
    if (!(node instanceof ObjectNode message) || !node.path("type").isTextual()) {
      error(ErrorCode.INVALID_FIELD, "a message is a JSON object with a string 'type'");
      return Optional.empty();
    }
    return Optional.of(message);
  }

  void binary() {
    error(ErrorCode.BINARY_NOT_SUPPORTED, "send JSON text frames only");
  }

  void tooLarge() {
    error(ErrorCode.FRAME_TOO_LARGE, "the frame is over the size limit");
    connection.close(1009, ErrorCode.FRAME_TOO_LARGE.wireName());
  }

  private void error(ErrorCode code, String message) {
    metrics.error(code);
    ObjectNode frame = PeerJsRealm.JSON.createObjectNode().put("type", "ERROR");
    frame.putObject("payload").put("msg", message).put("code", code.wireName());
    connection.send(PeerJsRealm.frame(frame));
  }
}
