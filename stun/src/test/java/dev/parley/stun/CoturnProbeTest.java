package dev.parley.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.stun.StunAttribute.Nonce;
import dev.parley.stun.StunAttribute.Realm;
import dev.parley.stun.StunAttribute.RequestedTransport;
import dev.parley.stun.StunAttribute.Username;
import dev.parley.stun.TurnProbeResult.Allocated;
import dev.parley.stun.TurnProbeResult.Refused;
import dev.parley.stun.TurnProbeResult.Unreachable;
import dev.parley.testkit.CoturnServer;
import dev.parley.testkit.CoturnServer.Credentials;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The probes against a real coturn on 127.0.0.1, with TLS and a quota of one allocation a user. */
@Timeout(120)
class CoturnProbeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Duration QUOTA_WAIT = Duration.ofSeconds(3);
  private static CoturnServer coturn;

  @BeforeAll
  static void startCoturn() {
    coturn = CoturnServer.builder().tls(true).userQuota(1).start();
  }

  @AfterAll
  static void stopCoturn() {
    coturn.close();
  }

  @Test
  void bindingReturnsTheLoopbackAddressAndTheSocketsPort() throws Exception {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      BindingResult result = StunClient.binding(socket, server(coturn.port()), TIMEOUT);

      assertThat(result.mappedAddress())
          .isEqualTo(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort()));
      assertThat(result.responseOrigin()).contains(server(coturn.port()));
    }
  }

  @Test
  void allocateOverUdpSucceedsWithRestCredentials() {
    assertAllocated(url("turn", coturn.port(), "?transport=udp"), "udp");
  }

  @Test
  void allocateOverTcpSucceedsWithRestCredentials() {
    assertAllocated(url("turn", coturn.port(), "?transport=tcp"), "tcp");
  }

  @Test
  void allocateOverTlsSucceedsWhenTheSelfSignedCertificateIsTrusted() {
    Credentials credentials = coturn.credentials("tls", Duration.ofHours(1));
    TurnProbeResult result =
        TurnProbe.allocate(
            url("turns", coturn.tlsPort(), ""),
            credentials.username(),
            credentials.password(),
            TIMEOUT,
            TurnProbe.Certificates.TRUST_ANY);

    assertThat(result).isInstanceOf(Allocated.class);
  }

  @Test
  void tlsWithVerificationRefusesTheSelfSignedCertificate() {
    Credentials credentials = coturn.credentials("verify", Duration.ofHours(1));
    TurnProbeResult result =
        TurnProbe.allocate(
            url("turns", coturn.tlsPort(), ""),
            credentials.username(),
            credentials.password(),
            TIMEOUT);

    assertThat(result)
        .isInstanceOfSatisfying(Unreachable.class, u -> assertThat(u.why()).contains("TLS"));
  }

  @Test
  void aPasswordFromAnotherSecretIsRefusedWith401() {
    Credentials credentials = coturn.credentials("wrong", Duration.ofHours(1));
    TurnProbeResult result =
        TurnProbe.allocate(
            url("turn", coturn.port(), ""),
            credentials.username(),
            credentials.password() + "x",
            TIMEOUT);

    assertThat(result)
        .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.code()).isEqualTo(401));
  }

  @Test
  void expiredCredentialsAreRefusedWith401() {
    Credentials credentials = coturn.credentials("expired", Duration.ofMinutes(-1));
    TurnProbeResult result =
        TurnProbe.allocate(
            url("turn", coturn.port(), ""),
            credentials.username(),
            credentials.password(),
            TIMEOUT);

    assertThat(result)
        .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.code()).isEqualTo(401));
  }

  @Test
  void aPortNothingListensOnIsUnreachableOverUdpAndTcp() throws Exception {
    int closed;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }
    for (String transport : new String[] {"?transport=udp", "?transport=tcp"}) {
      Instant started = Instant.now();
      TurnProbeResult result =
          TurnProbe.allocate(url("turn", closed, transport), "u", "p", Duration.ofSeconds(2));

      assertThat(result).as(transport).isInstanceOf(Unreachable.class);
      assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void aProbeReleasesItsAllocationSoTheNextOneSoonFitsInAQuotaOfOne() {
    Credentials credentials = coturn.credentials("released", Duration.ofHours(1));
    assertThat(probe(credentials)).isInstanceOf(Allocated.class);

    // coturn answers the Refresh at once but deletes the allocation on its next one-second tick.
    await()
        .atMost(QUOTA_WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> probe(credentials) instanceof Allocated);
  }

  @Test
  void anAllocationThatIsHeldKeepsTheQuotaOfOneFull() throws Exception {
    // The control for the test above: without a release, the quota stays full for as long.
    Credentials credentials = coturn.credentials("held", Duration.ofHours(1));
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      holdAllocation(socket, credentials);

      await()
          .during(QUOTA_WAIT)
          .atMost(QUOTA_WAIT.plusSeconds(2))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> probe(credentials).equals(new Refused(486, "Allocation Quota Reached")));
    }
  }

  private static TurnProbeResult probe(Credentials credentials) {
    return TurnProbe.allocate(
        url("turn", coturn.port(), ""), credentials.username(), credentials.password(), TIMEOUT);
  }

  private static void assertAllocated(TurnUrl url, String name) {
    Credentials credentials = coturn.credentials(name, Duration.ofHours(1));
    TurnProbeResult result =
        TurnProbe.allocate(url, credentials.username(), credentials.password(), TIMEOUT);

    assertThat(result)
        .as("%s; coturn's log:\n%s", url, coturn.log(30))
        .isInstanceOfSatisfying(
            Allocated.class,
            allocated -> {
              assertThat(allocated.relayedAddress().getAddress())
                  .isEqualTo(InetAddress.getLoopbackAddress());
              assertThat(allocated.mappedAddress().getAddress())
                  .isEqualTo(InetAddress.getLoopbackAddress());
            });
  }

  /** An Allocate by hand, with the public codec, that is never released. */
  private static void holdAllocation(DatagramSocket socket, Credentials credentials)
      throws Exception {
    UdpStunChannel channel = new UdpStunChannel(socket, server(coturn.port()), false);
    Instant deadline = Instant.now().plus(TIMEOUT);
    StunMessage challenge =
        channel
            .exchange(
                StunMessage.request(MessageType.ALLOCATE).with(new RequestedTransport(17)),
                received -> true,
                deadline)
            .message();
    Realm realm = challenge.attribute(Realm.class).orElseThrow();
    byte[] key = StunKeys.longTerm(credentials.username(), realm.value(), credentials.password());
    StunMessage allocate =
        StunMessage.request(MessageType.ALLOCATE)
            .with(
                new RequestedTransport(17),
                new Username(credentials.username()),
                realm,
                challenge.attribute(Nonce.class).orElseThrow())
            .withIntegrity(key);
    StunMessage answer = channel.exchange(allocate, received -> true, deadline).message();
    assertThat(answer.type().messageClass()).isEqualTo(MessageType.MessageClass.SUCCESS_RESPONSE);
  }

  private static TurnUrl url(String scheme, int port, String query) {
    return TurnUrl.parse(scheme + ":127.0.0.1:" + port + query);
  }

  private static InetSocketAddress server(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }
}
