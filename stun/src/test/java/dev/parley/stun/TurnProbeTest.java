package dev.parley.stun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.stun.MessageType.MessageClass;
import dev.parley.stun.StunAttribute.ErrorCode;
import dev.parley.stun.StunAttribute.Lifetime;
import dev.parley.stun.StunAttribute.Nonce;
import dev.parley.stun.StunAttribute.Realm;
import dev.parley.stun.StunAttribute.XorMappedAddress;
import dev.parley.stun.StunAttribute.XorRelayedAddress;
import dev.parley.stun.TurnProbeResult.Allocated;
import dev.parley.stun.TurnProbeResult.Refused;
import dev.parley.stun.TurnProbeResult.Unreachable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Allocate exchange against a scripted TURN server on 127.0.0.1, for what coturn won't do on
 * cue.
 */
@Timeout(30)
class TurnProbeTest {
  private static final String USER = "1700000000:probe";
  private static final String PASSWORD = "secret";
  private static final byte[] KEY = StunKeys.longTerm(USER, "realm", PASSWORD);
  private static final InetSocketAddress RELAY = StunMessageTest.address("127.0.0.1", 40001);

  private final List<StunMessage> requests = new CopyOnWriteArrayList<>();

  @Test
  void aStaleNonceIsRenewedOnceAndTheAllocationReleasedWithLifetimeZero() throws Exception {
    try (FakeStunServer server =
        server(
            (request, from, count) ->
                switch (count) {
                  case 1 -> error(request, 401, "n1");
                  case 2 -> error(request, 438, "n2");
                  default -> success(request, from, KEY);
                })) {
      TurnProbeResult result = probe(server, Duration.ofSeconds(5));

      assertThat(result)
          .isInstanceOfSatisfying(
              Allocated.class,
              allocated -> assertThat(allocated.relayedAddress()).isEqualTo(RELAY));
      assertThat(requests).hasSize(4);
      assertThat(requests.get(1).attribute(Nonce.class)).contains(new Nonce("n1"));
      assertThat(requests.get(2).attribute(Nonce.class)).contains(new Nonce("n2"));
      StunMessage release = requests.get(3);
      assertThat(release.type().method()).isEqualTo(MessageType.REFRESH);
      assertThat(release.attribute(Lifetime.class)).contains(new Lifetime(0));
    }
  }

  @Test
  void aSecondStaleNonceIsRefused() throws Exception {
    try (FakeStunServer server =
        server(
            (request, from, count) ->
                count == 1 ? error(request, 401, "n1") : error(request, 438, "n" + count))) {
      assertThat(probe(server, Duration.ofSeconds(5))).isEqualTo(new Refused(438, "no"));
      assertThat(requests).hasSize(3);
    }
  }

  @Test
  void anErrorBeforeCredentialsIsRefusedWithItsCode() throws Exception {
    try (FakeStunServer server = server((request, from, count) -> error(request, 403, "n"))) {
      assertThat(probe(server, Duration.ofSeconds(5))).isEqualTo(new Refused(403, "no"));
    }
  }

  @Test
  void aSuccessSignedWithAnotherKeyIsDiscardedAsIfNeverReceived() throws Exception {
    byte[] otherKey = StunKeys.longTerm(USER, "realm", "other");
    try (FakeStunServer server =
        server(
            (request, from, count) ->
                count == 1 ? error(request, 401, "n1") : success(request, from, otherKey))) {
      assertThat(probe(server, Duration.ofSeconds(1))).isInstanceOf(Unreachable.class);
    }
  }

  private interface Script {
    byte[] answer(StunMessage request, InetSocketAddress from, int count);
  }

  private FakeStunServer server(Script script) throws Exception {
    return new FakeStunServer(
        (bytes, from, self, count) -> {
          StunMessage request = StunMessage.decode(bytes);
          requests.add(request);
          return List.of(script.answer(request, from, count));
        });
  }

  private static TurnProbeResult probe(FakeStunServer server, Duration timeout) {
    TurnUrl url = TurnUrl.parse("turn:127.0.0.1:" + server.address().getPort() + "?transport=udp");
    return TurnProbe.allocate(url, USER, PASSWORD, timeout);
  }

  private static byte[] error(StunMessage request, int code, String nonce) {
    return new StunMessage(
            request.type().withClass(MessageClass.ERROR_RESPONSE),
            request.transactionId(),
            List.of(new ErrorCode(code, "no"), new Realm("realm"), new Nonce(nonce)))
        .encode();
  }

  private static byte[] success(StunMessage request, InetSocketAddress from, byte[] key) {
    return new StunMessage(
            request.type().withClass(MessageClass.SUCCESS_RESPONSE),
            request.transactionId(),
            List.of(new XorRelayedAddress(RELAY), new XorMappedAddress(from)))
        .withIntegrity(key)
        .withFingerprint()
        .encode();
  }
}
