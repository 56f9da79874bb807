package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.ice.IceServers;
import dev.parley.server.stun.StunService;
import dev.parley.server.stun.StunSettings;
import dev.parley.server.tls.TlsSettings;
import dev.parley.testkit.CoturnServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley doctor} as a user runs it, a process of its own, against a real server on 127.0.0.1
 * (with its STUN responder on free ports) and a real coturn.
 */
@Timeout(180)
class DoctorIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static CoturnServer coturn;

  @TempDir Path dir;

  @BeforeAll
  static void startCoturn() {
    coturn = CoturnServer.start();
  }

  @AfterAll
  static void stopCoturn() {
    coturn.close();
  }

  @Test
  void onLoopbackEveryCheckPassesAndTheRelayAllocatesOverUdpAndTcp() throws Exception {
    try (ParleyServer server = start(turn(coturn.secret()), "server")) {
      int stun = stunPort(server);

      ParleyProcess.Result result = doctor(server, "--name", "alice");

      assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.OK);
      System.out.println(result.out()); // the report, for whoever reads the test's output
      String relay = "turn:127.0.0.1:" + coturn.port();
      assertThat(result.out().lines().toList())
          .satisfiesExactly(
              line ->
                  assertThat(line)
                      .startsWith(
                          "Server     ok: http://127.0.0.1:"
                              + server.port()
                              + "/health answered 200 in "),
              line ->
                  assertThat(line)
                      .startsWith(
                          "WebSocket  ok: ws://127.0.0.1:" + server.port() + "/ws sent its"),
              line ->
                  assertThat(line)
                      .startsWith("STUN       ok: 127.0.0.1:" + stun + " sees you at 127.0.0.1:")
                      .endsWith(", your own address (no NAT)"),
              line ->
                  assertThat(line)
                      .isEqualTo(
                          "NAT        endpoint-independent: 127.0.0.1:"
                              + (stun + 1)
                              + " sees the same address (no NAT in between)"),
              line ->
                  assertThat(line)
                      .startsWith(
                          "TURN       allocated: " + relay + "?transport=udp relays at 127.0.0.1:"),
              line ->
                  assertThat(line)
                      .startsWith(
                          "TURN       allocated: " + relay + "?transport=tcp relays at 127.0.0.1:"),
              line ->
                  assertThat(line)
                      .isEqualTo("Verdict    Direct connections will work with most peers."));
      assertThat(result.err()).isEmpty();
    }
  }

  @Test
  void theJsonReportHasEveryCheckInFieldsForScripts() throws Exception {
    try (ParleyServer server = start(turn(coturn.secret()), "server")) {
      int stun = stunPort(server);

      ParleyProcess.Result result = doctor(server, "--name", "alice", "--json");

      assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.OK);
      System.out.println(result.out());
      JsonNode report = JSON.readTree(result.out());
      assertThat(report.at("/server/reachable").asBoolean()).isTrue();
      assertThat(report.at("/server/http/status").asInt()).isEqualTo(200);
      assertThat(report.at("/webSocket/ok").asBoolean()).isTrue();
      assertThat(report.at("/stun/result").asText()).isEqualTo("mapped");
      assertThat(report.at("/stun/server").asText()).isEqualTo("127.0.0.1:" + stun);
      assertThat(report.at("/stun/publicAddress").asText()).startsWith("127.0.0.1:");
      assertThat(report.at("/stun/publicAddress").asText())
          .isEqualTo(report.at("/stun/localAddress").asText());
      assertThat(report.at("/stun/behindNat").asBoolean()).isFalse();
      assertThat(report.at("/nat/mapping").asText()).isEqualTo("endpoint-independent");
      assertThat(report.at("/nat/alternateServer").asText()).isEqualTo("127.0.0.1:" + (stun + 1));
      assertThat(report.at("/relay/result").asText()).isEqualTo("checked");
      assertThat(StreamSupport.stream(report.get("turn").spliterator(), false).toList())
          .hasSize(2)
          .allSatisfy(
              turn -> {
                assertThat(turn.get("result").asText()).isEqualTo("allocated");
                assertThat(turn.get("relayedAddress").asText()).startsWith("127.0.0.1:");
              })
          .extracting(turn -> turn.get("transport").asText())
          .containsExactly("udp", "tcp");
      assertThat(report.at("/verdict/text").asText())
          .isEqualTo("Direct connections will work with most peers.");
      assertThat(report.at("/verdict/relayNeeded").asText()).isEqualTo("no");
      assertThat(report.at("/verdict/relay").asText()).isEqualTo("works");
    }
  }

  @Test
  void aWrongTurnSecretOnTheServerIsRefused401WithAWordForTheOperator() throws Exception {
    try (ParleyServer server = start(turn("not-" + coturn.secret()), "server")) {
      ParleyProcess.Result result = doctor(server, "--name", "alice");

      assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.OK);
      assertThat(result.out().lines().filter(line -> line.startsWith("TURN")).toList())
          .hasSize(2)
          .allSatisfy(
              line ->
                  assertThat(line)
                      .startsWith("TURN       refused: turn:127.0.0.1:" + coturn.port())
                      .contains(" answered 401 ")
                      .endsWith(
                          ": the relay refused the credentials this server hands out: tell its"
                              + " operator"));

      JsonNode report = JSON.readTree(doctor(server, "--name", "alice", "--json").out());
      assertThat(report.at("/turn/0/result").asText()).isEqualTo("refused");
      assertThat(report.at("/turn/0/code").asInt()).isEqualTo(401);
      assertThat(report.at("/verdict/relay").asText()).isEqualTo("fails");
    }
  }

  @Test
  void aServerWithoutTurnOffersNoRelayWithOrWithoutAName() throws Exception {
    try (ParleyServer server = start(IceServers.none(), "server")) {
      ParleyProcess.Result named = doctor(server, "--name", "alice");
      ParleyProcess.Result anonymous = doctor(server);

      assertThat(named.code()).as(named.err()).isEqualTo(ExitCode.OK);
      assertThat(named.out()).contains("TURN       none: this server offers no relay\n");
      assertThat(anonymous.code()).as(anonymous.err()).isEqualTo(ExitCode.OK);
      assertThat(anonymous.out()).contains("TURN       none: this server offers no relay\n");
    }
  }

  @Test
  void withoutANameTheRelayIsNotTriedAndTheNoteSaysHowToIncludeIt() throws Exception {
    try (ParleyServer server = start(turn(coturn.secret()), "server")) {
      ParleyProcess.Result result = doctor(server);

      assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.OK);
      assertThat(result.out())
          .containsPattern(
              "TURN       not checked: this server offers a relay \\(its own check: \\w+\\); add"
                  + " --name NAME \\(or set PARLEY_NAME\\) to try the relay from here");
    }
  }

  @Test
  void aNameRegisteredToAnotherKeyLeavesTheRelayUncheckedAndSaysWhy() throws Exception {
    try (ParleyServer server = start(turn(coturn.secret()), "server")) {
      assertThat(doctor(server, "--name", "alice").code()).isEqualTo(ExitCode.OK);

      ParleyProcess.Result result =
          ParleyProcess.run(
              dir.resolve("logs"),
              List.of(
                  "doctor",
                  "--server",
                  "127.0.0.1:" + server.port(),
                  "--name",
                  "alice",
                  "--profile",
                  dir.resolve("profiles").resolve("someone-else").toString()));

      assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.OK);
      assertThat(result.out())
          .contains(
              "TURN       not checked: could not log in: the name 'alice' is registered to another"
                  + " identity key on this server (use the profile that holds its key with"
                  + " --profile, or another name)\n")
          .doesNotContain("Exception");
    }
  }

  @Test
  void aServerWithoutStunLeavesTheNetworkUnjudged() throws Exception {
    try (ParleyServer server =
        ParleyServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDataDirectory(dir.resolve("server"))
                .withStun(Optional.empty()))) {
      ParleyProcess.Result result = doctor(server);

      assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.OK);
      assertThat(result.out())
          .contains("STUN       not checked: the server's STUN responder is switched off\n")
          .contains("NAT        unknown: no STUN server to check it with\n")
          .contains("Verdict    Your network could not be checked without a STUN answer");
    }
  }

  @Test
  void anUnreachableServerIsOneSentenceAndExitCode4() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }

    ParleyProcess.Result result =
        ParleyProcess.run(
            dir.resolve("logs"),
            List.of("doctor", "--server", "127.0.0.1:" + port, "--timeout", "2s"));

    assertThat(result.code()).isEqualTo(ExitCode.UNREACHABLE);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .isEqualTo(
            "parley: Cannot reach a Parley server at 127.0.0.1:"
                + port
                + " (connection refused); is it running? Start one with: ./parley server\n");
    ParleyProcess.Result json =
        ParleyProcess.run(
            dir.resolve("logs"), List.of("doctor", "--server", "127.0.0.1:" + port, "--json"));
    assertThat(json.code()).isEqualTo(ExitCode.UNREACHABLE);
    assertThat(JSON.readTree(json.out()).at("/server/reachable").asBoolean(true)).isFalse();
  }

  @Test
  void tlsTroubleIsOneSentenceThatSaysWhatIsWrong() throws Exception {
    try (ParleyServer plain = start(IceServers.none(), "plain");
        ParleyServer selfSigned =
            ParleyServer.start(
                ServerConfig.defaults()
                    .withPort(0)
                    .withDataDirectory(dir.resolve("tls"))
                    .withStun(Optional.empty())
                    .withTls(
                        Optional.of(
                            new TlsSettings.SelfSigned(List.of("localhost", "127.0.0.1")))))) {
      String untrusted = "https://127.0.0.1:" + selfSigned.port();
      String notTls = "https://127.0.0.1:" + plain.port();

      ParleyProcess.Result certificate =
          ParleyProcess.run(dir.resolve("logs"), List.of("doctor", "--server", untrusted));
      ParleyProcess.Result protocol =
          ParleyProcess.run(dir.resolve("logs"), List.of("doctor", "--server", notTls));

      assertThat(certificate.code()).isEqualTo(ExitCode.UNREACHABLE);
      assertThat(certificate.err())
          .isEqualTo(
              "parley: The Parley server at "
                  + untrusted
                  + " has a TLS certificate this computer does not trust (self-signed, or from an"
                  + " authority it does not know).\n");
      assertThat(protocol.code()).isEqualTo(ExitCode.UNREACHABLE);
      assertThat(protocol.err())
          .isEqualTo(
              "parley: The server at "
                  + notTls
                  + " does not speak TLS there; try http:// instead.\n");
    }
  }

  @Test
  void anotherStunServerOnThePortAnswersButHasNoSecondPortForTheMapping() throws Exception {
    try (ParleyServer server =
        ParleyServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDataDirectory(dir.resolve("server"))
                .withStun(Optional.of(new StunSettings(coturn.port(), false))))) {
      assertThat(server.stun()).isEqualTo(new StunService.State.Elsewhere(coturn.port()));

      ParleyProcess.Result result = doctor(server, "--json");

      assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.OK);
      JsonNode report = JSON.readTree(result.out());
      assertThat(report.at("/stun/server").asText()).isEqualTo("127.0.0.1:" + coturn.port());
      assertThat(report.at("/stun/result").asText()).isEqualTo("mapped");
      assertThat(report.at("/nat/mapping").asText()).isEqualTo("unknown");
      assertThat(report.at("/nat/detail").asText())
          .isEqualTo(
              "unknown: the server has no second STUN port, so the mapping could not be checked");
    }
  }

  @Test
  void aTimeoutThatIsNotADurationIsAUsageError() throws Exception {
    ParleyProcess.Result result =
        ParleyProcess.run(dir.resolve("logs"), List.of("doctor", "--timeout", "soon"));

    assertThat(result.code()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("'soon' is not a duration");
  }

  private ParleyServer start(IceServers ice, String data) {
    return ParleyServer.start(
        ServerConfig.defaults()
            .withPort(0)
            .withDataDirectory(dir.resolve(data))
            .withStun(Optional.of(new StunSettings(0, true)))
            .withIceServers(ice));
  }

  private static IceServers turn(String secret) {
    return new IceServers(
        List.of(),
        List.of("turn:127.0.0.1:" + coturn.port()),
        Optional.of(secret),
        Duration.ofHours(1));
  }

  private static int stunPort(ParleyServer server) {
    StunService.State.Listening listening = (StunService.State.Listening) server.stun();
    assertThat(listening.alternatePort()).hasValue(listening.port() + 1);
    return listening.port();
  }

  private ParleyProcess.Result doctor(ParleyServer server, String... rest) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "doctor",
                "--server",
                "127.0.0.1:" + server.port(),
                "--profile",
                dir.resolve("profiles").resolve("alice").toString()));
    args.addAll(List.of(rest));
    return ParleyProcess.run(dir.resolve("logs"), args);
  }
}
