package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.IceServer;
import dev.parley.protocol.ServerMessage;
import dev.parley.server.stun.StunService;
import dev.parley.server.stun.StunSettings;
import dev.parley.stun.BindingAnswer;
import dev.parley.stun.BindingResult;
import dev.parley.stun.MessageType;
import dev.parley.stun.StunClient;
import dev.parley.stun.StunMessage;
import dev.parley.testkit.CoturnServer;
import dev.parley.testkit.TestClient;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server's own STUN responder, over real UDP sockets on loopback. */
@Timeout(60)
class StunIntegrationTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Duration WAIT = Duration.ofSeconds(3);

  @TempDir Path data;

  @Test
  void aBindingRequestLearnsItsAddressAndTheWelcomeNamesTheResponder() throws IOException {
    try (TestServer server = start(Optional.of(new StunSettings(0, true)));
        DatagramSocket socket = new DatagramSocket(0, LOOPBACK)) {
      StunService.State.Listening stun = listening(server);

      BindingResult result =
          StunClient.binding(socket, new InetSocketAddress(LOOPBACK, stun.port()), WAIT);

      assertThat(result.mappedAddress())
          .isEqualTo(new InetSocketAddress(LOOPBACK, socket.getLocalPort()));
      assertThat(result.otherAddress())
          .as("the second port, for parley doctor's NAT check")
          .contains(new InetSocketAddress(LOOPBACK, stun.alternatePort().orElseThrow()));
      BindingResult second =
          StunClient.binding(
              socket, new InetSocketAddress(LOOPBACK, stun.alternatePort().getAsInt()), WAIT);
      assertThat(second.mappedAddress()).isEqualTo(result.mappedAddress());
      try (TestClient alice = server.connect()) {
        alice.sendLogin("alice", server.identity("alice"));
        List<IceServer> ice = alice.next(ServerMessage.Welcome.class).iceServers();
        assertThat(ice)
            .singleElement()
            .extracting(IceServer::urls)
            .isEqualTo(List.of("stun:127.0.0.1:" + stun.port()));
      }
      assertThat(server.get("/health").body())
          .contains("\"stun\":{\"state\":\"listening\",\"port\":" + stun.port());
      assertThat(server.server().metrics().stunAnsweredTotal()).isEqualTo(2);
    }
  }

  @Test
  void whatIsNotABindingRequestIsDroppedCountedAndNeverAnswered() throws IOException {
    try (TestServer server = start(Optional.of(new StunSettings(0, true)));
        DatagramSocket socket = new DatagramSocket(0, LOOPBACK)) {
      InetSocketAddress stun = new InetSocketAddress(LOOPBACK, listening(server).port());
      socket.setSoTimeout(300);

      send(
          socket, stun, "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      send(socket, stun, new byte[1400]);
      send(socket, stun, StunMessage.request(MessageType.ALLOCATE).encode());

      await()
          .atMost(WAIT)
          .until(
              () ->
                  server.server().metrics().stunDroppedTotal(BindingAnswer.Reason.MALFORMED) == 1
                      && server.server().metrics().stunDroppedTotal(BindingAnswer.Reason.OVERSIZED)
                          == 1
                      && server
                              .server()
                              .metrics()
                              .stunDroppedTotal(BindingAnswer.Reason.NOT_BINDING)
                          == 1);
      assertThatThrownBy(() -> socket.receive(new DatagramPacket(new byte[1500], 1500)))
          .isInstanceOf(java.net.SocketTimeoutException.class);
      assertThat(server.get("/metrics").body())
          .contains("parley_stun_dropped_total{reason=\"malformed\"} 1");
    }
  }

  @Test
  void oneAddressGetsAnswersOnlyAtItsRate() throws IOException {
    try (TestServer server = start(Optional.of(new StunSettings(0, true)));
        DatagramSocket socket = new DatagramSocket(0, LOOPBACK)) {
      InetSocketAddress stun = new InetSocketAddress(LOOPBACK, listening(server).port());
      int flood = 100; // well past the burst, and few enough for the socket's receive buffer
      long start = System.nanoTime();

      for (int i = 0; i < flood; i++) {
        send(socket, stun, StunMessage.request(MessageType.BINDING).encode());
      }

      await()
          .atMost(WAIT)
          .until(
              () ->
                  server.server().metrics().stunAnsweredTotal()
                          + server.server().metrics().stunRateLimitedTotal()
                      == flood);
      double seconds = (System.nanoTime() - start) / 1e9;
      long refilled = (long) Math.ceil(20 * seconds);
      assertThat(server.server().metrics().stunAnsweredTotal())
          .as("the burst of 60, and 20 a second after it")
          .isBetween(60L, 60L + refilled);
    }
  }

  @Test
  void aPortAskedForThatIsTakenStopsTheStart() throws IOException {
    try (DatagramSocket squatter = new DatagramSocket(0, LOOPBACK)) {
      ServerConfig config =
          ServerConfig.defaults()
              .withPort(0)
              .withDataDirectory(data)
              .withStun(Optional.of(new StunSettings(squatter.getLocalPort(), true)));
      RuntimeException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              RuntimeException.class, () -> ParleyServer.start(config).close());

      assertThat(StartFailure.explain(refused, config))
          .as("what parley server prints: the STUN port, not the HTTP one")
          .startsWith("cannot answer STUN on UDP 127.0.0.1:" + squatter.getLocalPort())
          .contains("Choose another --stun-port, or 'off'")
          .doesNotContain("--port.");
    }
  }

  @Test
  void theDefaultPortTakenBySomethingElseMeansNoStunServerForClients() throws IOException {
    try (DatagramSocket squatter = new DatagramSocket(0, LOOPBACK);
        TestServer server = start(Optional.of(new StunSettings(squatter.getLocalPort(), false)));
        TestClient alice = server.connect()) {
      assertThat(server.server().stun()).isInstanceOf(StunService.State.Unavailable.class);
      alice.sendLogin("alice", server.identity("alice"));
      assertThat(alice.next(ServerMessage.Welcome.class).iceServers()).isEmpty();
      assertThat(server.get("/health").body()).contains("\"state\":\"unavailable\"");
    }
  }

  @Test
  void theDefaultPortTakenByAnotherStunServerSendsClientsThere() throws IOException {
    try (CoturnServer coturn = CoturnServer.start();
        TestServer server = start(Optional.of(new StunSettings(coturn.port(), false)));
        TestClient alice = server.connect()) {
      assertThat(server.server().stun()).isEqualTo(new StunService.State.Elsewhere(coturn.port()));
      alice.sendLogin("alice", server.identity("alice"));
      assertThat(alice.next(ServerMessage.Welcome.class).iceServers())
          .singleElement()
          .extracting(IceServer::urls)
          .isEqualTo(List.of("stun:127.0.0.1:" + coturn.port()));
    }
  }

  @Test
  void switchedOffThereIsNoResponder() {
    try (TestServer server = start(Optional.empty())) {
      assertThat(server.server().stun()).isInstanceOf(StunService.State.Off.class);
      assertThat(server.get("/health").body()).contains("\"stun\":{\"state\":\"off\"}");
    }
  }

  private TestServer start(Optional<StunSettings> stun) {
    return TestServer.start(data, config -> config.withStun(stun));
  }

  private static StunService.State.Listening listening(TestServer server) {
    return (StunService.State.Listening) server.server().stun();
  }

  private static void send(DatagramSocket socket, InetSocketAddress to, byte[] bytes)
      throws IOException {
    socket.send(new DatagramPacket(bytes, bytes.length, to));
  }
}
