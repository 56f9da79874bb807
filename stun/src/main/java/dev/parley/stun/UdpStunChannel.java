package dev.parley.stun;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Transactions over UDP with RFC 8489 §6.2.1's retransmissions: sent at 0, 0.5, 1.5, 3.5, 7.5, 15.5
 * and 31.5 s (RTO 500 ms, doubling, seven sends), given up at 39.5 s, all cut short by the caller's
 * deadline. The socket is the caller's: it is neither connected nor closed here, so one socket can
 * ask two servers and compare what each saw.
 */
final class UdpStunChannel implements StunChannel {
  private static final Duration RTO = Duration.ofMillis(500);
  private static final int SENDS = 7;
  private static final int LAST_WAIT_RTOS = 16;

  private final DatagramSocket socket;
  private final InetSocketAddress server;
  private final boolean ownsSocket;

  UdpStunChannel(DatagramSocket socket, InetSocketAddress server, boolean ownsSocket) {
    this.socket = socket;
    this.server = server;
    this.ownsSocket = ownsSocket;
  }

  @Override
  public Received exchange(StunMessage request, Predicate<Received> accept, Instant deadline)
      throws IOException {
    byte[] bytes = request.encode();
    DatagramPacket out = new DatagramPacket(bytes, bytes.length, server);
    // One byte more than the limit, so that an oversized datagram shows as one and is skipped.
    DatagramPacket in = new DatagramPacket(new byte[StunMessage.MAX_LENGTH + 1], 0);
    int previousTimeout = socket.getSoTimeout();
    try {
      Instant giveUp =
          Instant.now().plus(RTO.multipliedBy((1L << (SENDS - 1)) - 1 + LAST_WAIT_RTOS));
      Instant end = deadline.isBefore(giveUp) ? deadline : giveUp;
      Duration rto = RTO;
      Instant nextSend = Instant.now();
      int sent = 0;
      while (true) {
        Instant now = Instant.now();
        if (sent < SENDS && !now.isBefore(nextSend)) {
          socket.send(out);
          sent++;
          nextSend = now.plus(rto);
          rto = rto.multipliedBy(2);
        }
        Instant wakeUp = sent < SENDS && nextSend.isBefore(end) ? nextSend : end;
        long wait = Duration.between(Instant.now(), wakeUp).toMillis();
        if (wait <= 0 && !Instant.now().isBefore(end)) {
          throw new StunTimeoutException(
              "no STUN response from " + server + " after " + sent + " sends");
        }
        socket.setSoTimeout((int) Math.max(1, wait));
        in.setLength(in.getData().length);
        try {
          socket.receive(in);
        } catch (SocketTimeoutException e) {
          continue;
        }
        Received received = matching(request, in);
        if (received != null && accept.test(received)) {
          return received;
        }
      }
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout(previousTimeout);
      }
    }
  }

  /** The datagram as a response to {@code request}, or null if it is anything else. */
  private static @Nullable Received matching(StunMessage request, DatagramPacket in) {
    byte[] bytes =
        Arrays.copyOfRange(in.getData(), in.getOffset(), in.getOffset() + in.getLength());
    try {
      StunMessage message = StunMessage.decode(bytes);
      return StunChannel.answers(request, message) ? new Received(message, bytes) : null;
    } catch (StunFormatException e) {
      return null;
    }
  }

  @Override
  public void close() {
    if (ownsSocket) {
      socket.close();
    }
  }
}
