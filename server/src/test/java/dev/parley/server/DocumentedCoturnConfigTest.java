package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.ice.IceServers;
import dev.parley.server.ice.TurnCheck;
import dev.parley.testkit.CoturnServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coturn configuration docs/operations.md gives operators, run as written (but for its
 * addresses, ports, certificate and syslog, which are this machine's), accepts the credentials
 * Parley mints.
 */
@Timeout(60)
class DocumentedCoturnConfigTest {
  private static final Path OPERATIONS = Path.of("..", "docs", "operations.md");
  private static final Pattern BLOCK =
      Pattern.compile("A hardened\\s+`/etc/turnserver.conf`[^`]*```\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern SECRET = Pattern.compile("(?m)^static-auth-secret=(.+)$");

  @TempDir Path data;

  @Test
  void theDocumentedConfigurationAcceptsTheCredentialsParleyMints() throws IOException {
    String config = documented();
    Matcher secret = SECRET.matcher(config);
    assertThat(secret.find()).as("the documented config has a static-auth-secret").isTrue();
    assertThat(config).contains("use-auth-secret", "denied-peer-ip=192.168.0.0-192.168.255.255");
    Path file = data.resolve("turnserver.conf");
    Files.writeString(file, forThisMachine(config));

    try (CoturnServer coturn =
            CoturnServer.builder().configFile(file).secret(secret.group(1)).start();
        TestServer server =
            TestServer.start(
                data.resolve("server"),
                c ->
                    c.withIceServers(
                        new IceServers(
                            List.of(),
                            List.of("turn:127.0.0.1:" + coturn.port()),
                            Optional.of(secret.group(1)),
                            Duration.ofHours(1))))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> server.server().turnCheck().size() == 2);
      assertThat(server.server().turnCheck()).as(coturn.log(40)).allMatch(TurnCheck.Outcome::ok);
    }
  }

  private static String documented() throws IOException {
    Matcher block = BLOCK.matcher(Files.readString(OPERATIONS));
    assertThat(block.find()).as("docs/operations.md has the coturn configuration").isTrue();
    return block.group(1);
  }

  /**
   * Drops what belongs to the operator's machine: its addresses and ports (the test kit gives
   * loopback and free ones), its certificate and syslog (the test kit reads coturn's output).
   */
  private static String forThisMachine(String config) {
    return config
        .lines()
        .filter(
            line ->
                !line.matches(
                    "(listening-ip|relay-ip|listening-port|tls-listening-port|min-port|max-port"
                        + "|cert|pkey|external-ip)=.*|syslog"))
        .reduce("", (a, b) -> a + b + "\n");
  }
}
