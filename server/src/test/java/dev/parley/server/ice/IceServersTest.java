package dev.parley.server.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.IceServer;
import dev.parley.protocol.UserName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IceServersTest {
  private static final UserName ALICE = new UserName("alice");
  private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

  @Test
  void turnCredentialsFollowCoturnsSharedSecretScheme() {
    IceServers servers =
        new IceServers(
            List.of(), List.of("turn:127.0.0.1:3478"), Optional.of("s3cret"), Duration.ofHours(1));

    IceServer turn = servers.forUser(ALICE, "parley.example", NOW).get(0);

    assertThat(turn.username()).isEqualTo("1700003600:alice");
    // The same HMAC computed independently: printf 1700003600:alice | openssl dgst -sha1
    // -hmac s3cret -binary | base64
    assertThat(turn.credential()).isEqualTo("YAFdW/YDZewZsR1QSgUk2IrfbRI=");
  }

  @Test
  void nothingConfiguredMeansNoIceServers() {
    assertThat(IceServers.none().forUser(ALICE, "parley.example", NOW)).isEmpty();
  }

  @Test
  void stunServersComeWithoutCredentials() {
    IceServers servers =
        new IceServers(
            List.of("stun:a:3478", "stun:b:3478"),
            List.of(),
            Optional.empty(),
            Duration.ofHours(1));

    assertThat(servers.forUser(ALICE, "parley.example", NOW))
        .containsExactly(IceServer.withoutCredentials(List.of("stun:a:3478", "stun:b:3478")));
  }

  @Test
  void turnWithoutASecretIsAConfigurationError() {
    assertThatThrownBy(
            () ->
                new IceServers(
                    List.of(), List.of("turn:x:3478"), Optional.empty(), Duration.ofHours(1)))
        .hasMessageContaining("--turn-secret");
  }
}
