package dev.parley.stun;

import java.io.IOException;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * One client transaction at a time over a transport: send a request, return the response that
 * carries its transaction id, skipping anything else that arrives (strays, late retransmissions,
 * responses that {@code accept} rejects).
 */
sealed interface StunChannel extends AutoCloseable permits UdpStunChannel, StreamStunChannel {
  /** A response and its bytes as received, for the checksums. */
  @SuppressWarnings("ArrayRecordComponent") // the received bytes, read once, never compared
  record Received(StunMessage message, byte[] bytes) {}

  /**
   * Sends {@code request} (at least once, even past the deadline) and waits for its response.
   *
   * @throws StunTimeoutException if none that {@code accept} takes arrives by {@code deadline}
   * @throws IOException if the transport fails (refused, reset, closed, TLS)
   */
  Received exchange(StunMessage request, Predicate<Received> accept, Instant deadline)
      throws IOException;

  @Override
  void close() throws IOException;

  /** Whether {@code received} answers {@code request}: a response with the same transaction id. */
  static boolean answers(StunMessage request, StunMessage received) {
    MessageType.MessageClass kind = received.type().messageClass();
    return received.transactionId().equals(request.transactionId())
        && received.type().method() == request.type().method()
        && (kind == MessageType.MessageClass.SUCCESS_RESPONSE
            || kind == MessageType.MessageClass.ERROR_RESPONSE);
  }
}
