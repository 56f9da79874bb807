package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.ice.IceServers;
import dev.parley.server.ice.TurnCheck;
import dev.parley.stun.TurnProbeResult;
import dev.parley.testkit.CoturnServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The start-up self-check of the relay, against a real coturn. */
@Timeout(60)
class TurnCheckIntegrationTest {
  private static CoturnServer coturn;

  @TempDir Path data;

  @BeforeAll
  static void startCoturn() {
    coturn = CoturnServer.start();
  }

  @AfterAll
  static void stopCoturn() {
    coturn.close();
  }

  @Test
  void aRelayThatAcceptsTheMintedCredentialsIsReportedHealthyOverUdpAndTcp() {
    try (TestServer server = start(coturn.secret())) {
      List<TurnCheck.Outcome> outcomes = awaitCheck(server, 2);

      assertThat(outcomes)
          .extracting(TurnCheck.Outcome::url)
          .containsExactly(
              "turn:127.0.0.1:" + coturn.port() + "?transport=udp",
              "turn:127.0.0.1:" + coturn.port() + "?transport=tcp");
      assertThat(outcomes).allMatch(TurnCheck.Outcome::ok);
      assertThat(server.get("/health").body())
          .contains("\"turn\":{\"state\":\"ok\"")
          .contains("accepted the credentials this server mints");
    }
  }

  @Test
  void aWrongSharedSecretIsReportedWithWhatToCheck() {
    try (TestServer server = start("not-" + coturn.secret())) {
      List<TurnCheck.Outcome> outcomes = awaitCheck(server, 2);

      assertThat(outcomes)
          .allSatisfy(
              outcome ->
                  assertThat(outcome.result())
                      .isEqualTo(new TurnProbeResult.Refused(401, "Unauthorized")));
      assertThat(TurnCheck.describe(outcomes.get(0)))
          .contains("refused the credentials this server mints (401 Unauthorized)")
          .contains("--turn-secret must be coturn's static-auth-secret");
      assertThat(server.get("/health").body()).contains("\"turn\":{\"state\":\"failed\"");
    }
  }

  @Test
  void aRelayThatDoesNotAnswerIsReportedUnreachable() throws Exception {
    int nobody;
    try (var socket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      nobody = socket.getLocalPort();
    }
    try (TestServer server =
        TestServer.start(
            data,
            config ->
                config.withIceServers(
                    new IceServers(
                        List.of(),
                        List.of("turn:127.0.0.1:" + nobody + "?transport=udp"),
                        Optional.of("x"),
                        Duration.ofHours(1))))) {
      assertThat(awaitCheck(server, 1))
          .singleElement()
          .satisfies(
              outcome -> {
                assertThat(outcome.result()).isInstanceOf(TurnProbeResult.Unreachable.class);
                assertThat(TurnCheck.describe(outcome)).contains("did not answer");
              });
    }
  }

  private TestServer start(String secret) {
    return TestServer.start(
        data,
        config ->
            config.withIceServers(
                new IceServers(
                    List.of(),
                    List.of("turn:127.0.0.1:" + coturn.port()),
                    Optional.of(secret),
                    Duration.ofHours(1))));
  }

  /** The outcomes of the first check, once it has tried all {@code urls}. */
  private static List<TurnCheck.Outcome> awaitCheck(TestServer server, int urls) {
    await().atMost(Duration.ofSeconds(20)).until(() -> server.server().turnCheck().size() == urls);
    return server.server().turnCheck();
  }
}
