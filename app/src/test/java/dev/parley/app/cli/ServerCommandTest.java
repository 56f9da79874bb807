package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.ServerConfig;
import dev.parley.server.stun.StunSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerCommandTest {

  private static ServerConfig parse(String... args) {
    ServerCommand command = new ServerCommand();
    new CommandLine(command).parseArgs(args);
    return command.config();
  }

  @Test
  void theDefaultsAreLoopbackPort8080AndDataHere() {
    ServerConfig config = parse();
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.dataDirectory()).isEqualTo(Path.of("data"));
    assertThat(config.databaseUrl()).isEmpty();
    assertThat(config.limits().maxFrameBytes()).isEqualTo(65536);
    assertThat(
            config
                .iceServers()
                .forUser(new dev.parley.protocol.UserName("a"), "h", java.time.Instant.now()))
        .isEmpty();
  }

  @Test
  void flagsOverrideTheDefaults() {
    ServerConfig config =
        parse(
            "--host",
            "0.0.0.0",
            "--port",
            "9000",
            "--data",
            "/srv/parley",
            "--heartbeat-interval",
            "5s",
            "--heartbeat-timeout",
            "2m",
            "--presence-batch",
            "0ms",
            "--stun",
            "stun:a:3478,stun:b:3478",
            "--turn",
            "turn:t:3478",
            "--turn-secret",
            "x");
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(9000);
    assertThat(config.dataDirectory()).isEqualTo(Path.of("/srv/parley"));
    assertThat(config.limits().heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.limits().heartbeatTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.presenceBatchWindow()).isZero();
    assertThat(
            config
                .iceServers()
                .forUser(new dev.parley.protocol.UserName("a"), "h", java.time.Instant.now()))
        .hasSize(2);
  }

  @Test
  void helpListsEveryOptionWithItsEnvironmentVariable() {
    StringWriter out = new StringWriter();
    CommandLine commandLine = new CommandLine(new ServerCommand());
    commandLine.setOut(new PrintWriter(out));
    assertThat(commandLine.execute("--help")).isZero();

    for (CommandLine.Model.OptionSpec option : commandLine.getCommandSpec().options()) {
      assertThat(out.toString()).contains(option.longestName());
    }
    assertThat(out.toString()).contains("PARLEY_PORT", "PARLEY_DB_URL", "PARLEY_TURN_SECRET");
  }

  @Test
  void aMalformedDurationIsExplained() {
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new ServerCommand());
    commandLine.setErr(new PrintWriter(err));
    assertThat(commandLine.execute("--login-timeout", "soon")).isNotZero();
    assertThat(err.toString()).contains("'soon' is not a duration like 500ms, 15s, 2m, 1h or 7d");
  }

  @Test
  void tlsIsOffByDefault() {
    assertThat(parse().tls()).isEmpty();
  }

  @Test
  void aSelfSignedCertificateCoversLocalhostAndTheLoopbackAddressesByDefault() {
    var tls = parse("--tls-self-signed").tls().orElseThrow();
    assertThat(tls).isInstanceOf(dev.parley.server.tls.TlsSettings.SelfSigned.class);
    assertThat(((dev.parley.server.tls.TlsSettings.SelfSigned) tls).names())
        .contains("localhost", "127.0.0.1", "::1");
    var named = parse("--tls-self-signed", "--tls-name", "chat.lan,192.0.2.7").tls().orElseThrow();
    assertThat(((dev.parley.server.tls.TlsSettings.SelfSigned) named).names())
        .containsExactly("chat.lan", "192.0.2.7");
  }

  @Test
  void aCertificateNeedsItsKeyAndExcludesSelfSigning() {
    assertThat(parse("--tls-cert", "c.pem", "--tls-key", "k.pem").tls())
        .contains(
            new dev.parley.server.tls.TlsSettings.PemFiles(Path.of("c.pem"), Path.of("k.pem")));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse("--tls-cert", "c.pem"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--tls-key");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> parse("--tls-self-signed", "--tls-cert", "c.pem", "--tls-key", "k.pem"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exclude");
  }

  @Test
  void theServerAnswersStunOnPort3478UnlessToldOtherwise() {
    assertThat(parse().stun()).contains(new StunSettings(3478, false));
    assertThat(parse("--stun-port", "3480").stun()).contains(new StunSettings(3480, true));
    assertThat(parse("--stun-port", "off").stun()).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse("--stun-port", "stun"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--stun-port takes a port number or 'off'");
  }

  @Test
  void aTurnUrlWithoutTransportIsOfferedOverUdpAndTcp() {
    var ice =
        parse("--turn", "turn:Relay.example.org,turns:relay.example.org:443", "--turn-secret", "x")
            .iceServers();
    assertThat(ice.turnUrls())
        .containsExactly(
            "turn:relay.example.org:3478?transport=udp",
            "turn:relay.example.org:3478?transport=tcp",
            "turns:relay.example.org:443");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> parse("--turn", "turn://relay.example.org", "--turn-secret", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("turn:host:port");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse("--stun", "relay.example.org"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a STUN URL");
  }

  @Test
  void theTcpCapPerAddressFollowsTheWebSocketCapUnlessGiven() {
    assertThat(parse().sockets().perAddress()).isEqualTo(128);
    assertThat(parse("--max-connections-per-address", "500").sockets().perAddress())
        .isEqualTo(1000);
    assertThat(
            parse("--max-connections-per-address", "500", "--max-sockets-per-address", "600")
                .sockets()
                .perAddress())
        .isEqualTo(600);
    assertThat(parse().withMaxConnectionsPerAddress(700).sockets().perAddress()).isEqualTo(1400);
    assertThat(parse("--request-timeout", "3s").sockets().requestTimeout())
        .isEqualTo(Duration.ofSeconds(3));
  }
}
