package dev.parley.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.stun.MessageType.MessageClass;
import dev.parley.stun.StunAttribute.ErrorCode;
import dev.parley.stun.StunAttribute.UnknownAttributes;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Binding client against in-process servers on 127.0.0.1 that misbehave on purpose. */
@Timeout(30)
class StunClientTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Test
  void aPaddedRequestGetsTheMappedAddressAndBothRfc5780Addresses() throws Exception {
    try (FakeStunServer server = FakeStunServer.parley();
        DatagramSocket socket = loopbackSocket()) {
      BindingResult result = StunClient.binding(socket, server.address(), TIMEOUT);

      assertThat(result.mappedAddress()).isEqualTo(socket.getLocalSocketAddress());
      assertThat(result.responseOrigin()).contains(server.address());
      assertThat(result.otherAddress())
          .contains(
              new InetSocketAddress(server.address().getAddress(), server.address().getPort() + 1));
    }
  }

  @Test
  void oneSocketAskingTwoServersSeesTheSameMappedAddressWithoutANat() throws Exception {
    try (FakeStunServer first = FakeStunServer.parley();
        FakeStunServer second = FakeStunServer.parley();
        DatagramSocket socket = loopbackSocket()) {
      InetSocketAddress viaFirst =
          StunClient.binding(socket, first.address(), TIMEOUT).mappedAddress();
      InetSocketAddress viaSecond =
          StunClient.binding(socket, second.address(), TIMEOUT).mappedAddress();

      assertThat(viaFirst).isEqualTo(viaSecond).isEqualTo(socket.getLocalSocketAddress());
      assertThat(socket.isClosed()).as("the socket is the caller's").isFalse();
    }
  }

  @Test
  void aLostRequestIsSentAgainAfterTheRetransmissionTimeout() throws Exception {
    try (FakeStunServer server =
            new FakeStunServer(
                (request, from, self, count) ->
                    count == 1 ? List.of() : FakeStunServer.parleyAnswer(request, from, self));
        DatagramSocket socket = loopbackSocket()) {
      long started = System.nanoTime();
      StunClient.binding(socket, server.address(), TIMEOUT);

      assertThat(server.received()).isEqualTo(2);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofMillis(450));
    }
  }

  @Test
  void strayDatagramsAndOtherTransactionsAreIgnored() throws Exception {
    try (FakeStunServer server =
            new FakeStunServer(
                (request, from, self, count) -> {
                  byte[] otherTransaction = FakeStunServer.parleyAnswer(request, from, self).get(0);
                  otherTransaction[19] ^= 1;
                  return List.of(
                      new byte[] {1, 2, 3},
                      otherTransaction,
                      FakeStunServer.parleyAnswer(request, from, self).get(0));
                });
        DatagramSocket socket = loopbackSocket()) {
      assertThat(StunClient.binding(socket, server.address(), TIMEOUT).mappedAddress())
          .isEqualTo(socket.getLocalSocketAddress());
      assertThat(server.received()).isEqualTo(1);
    }
  }

  @Test
  void silenceEndsInATimeoutAfterRetransmittingOnSchedule() throws Exception {
    try (FakeStunServer server = new FakeStunServer((request, from, self, count) -> List.of());
        DatagramSocket socket = loopbackSocket()) {
      assertThatThrownBy(
              () -> StunClient.binding(socket, server.address(), Duration.ofMillis(1200)))
          .isInstanceOf(StunTimeoutException.class)
          .hasMessageContaining("after 2 sends");
      // Sent at 0 and 0.5 s; the third send would have been at 1.5 s.
      await().atMost(Duration.ofSeconds(2)).until(() -> server.received() == 2);
    }
  }

  @Test
  void anErrorResponseIsThrownWithItsCode() throws Exception {
    try (FakeStunServer server =
            new FakeStunServer(
                (request, from, self, count) -> List.of(error(request, 400, List.of())));
        DatagramSocket socket = loopbackSocket()) {
      assertThatThrownBy(() -> StunClient.binding(socket, server.address(), TIMEOUT))
          .isInstanceOfSatisfying(
              StunErrorResponseException.class, e -> assertThat(e.code()).isEqualTo(400));
    }
  }

  @Test
  void aServerThatDoesNotKnowPaddingIsAskedAgainWithoutIt() throws Exception {
    try (FakeStunServer server =
            new FakeStunServer(
                (request, from, self, count) ->
                    request.length > 20
                        ? List.of(error(request, 420, List.of(StunAttribute.PADDING)))
                        : FakeStunServer.parleyAnswer(request, from, self));
        DatagramSocket socket = loopbackSocket()) {
      BindingResult result = StunClient.binding(socket, server.address(), TIMEOUT);

      assertThat(result.mappedAddress()).isEqualTo(socket.getLocalSocketAddress());
      assertThat(result.otherAddress()).isEmpty();
      assertThat(server.received()).isEqualTo(2);
    }
  }

  private static byte[] error(byte[] request, int code, List<Integer> unknown) {
    StunMessage response =
        new StunMessage(
            MessageType.of(MessageType.BINDING, MessageClass.ERROR_RESPONSE),
            StunMessage.decode(request).transactionId(),
            List.of(new ErrorCode(code, "no")));
    return (unknown.isEmpty() ? response : response.with(new UnknownAttributes(unknown))).encode();
  }

  private static DatagramSocket loopbackSocket() throws Exception {
    return new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }
}
