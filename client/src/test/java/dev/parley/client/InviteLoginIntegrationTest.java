package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.server.LoginFailedException;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.InviteCode;
import dev.parley.protocol.UserName;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import dev.parley.server.directory.Directory;
import dev.parley.server.directory.InviteCodes;
import dev.parley.server.session.Registration;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Signing up with an invite code on a server that takes new names by invitation only. */
@Timeout(60)
class InviteLoginIntegrationTest {
  private static final UserName ALICE = new UserName("alice");

  @TempDir Path data;
  private ServerConfig config;
  private ParleyServer server;

  @BeforeEach
  void start() {
    config =
        ServerConfig.defaults().toBuilder()
            .port(0)
            .dataDirectory(data.resolve("server"))
            .registration(Registration.Mode.INVITE)
            .build();
    server = ParleyServer.start(config);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aNewNameWithoutACodeIsRefusedWithInviteRequiredAndLeavesNoProfile() {
    assertThatThrownBy(() -> client(ALICE).connect())
        .isInstanceOfSatisfying(
            LoginFailedException.class,
            e -> assertThat(e.code()).contains(ErrorCode.INVITE_REQUIRED));
    assertThat(profile(ALICE)).doesNotExist();
  }

  @Test
  void aWrongCodeIsRefusedWithInviteInvalid() {
    assertThatThrownBy(() -> client(ALICE).invite(new InviteCode("0000-0000-0000-0000")).connect())
        .isInstanceOfSatisfying(
            LoginFailedException.class,
            e -> assertThat(e.code()).contains(ErrorCode.INVITE_INVALID));
  }

  @Test
  void aGoodCodeRegistersTheNameWhichThenLogsInWithoutOne() {
    InviteCode code = issue();

    try (ParleyClient alice = client(ALICE).invite(code).connect()) {
      assertThat(alice.name()).isEqualTo(ALICE);
    }
    try (ParleyClient again = client(ALICE).connect()) {
      assertThat(again.name()).isEqualTo(ALICE);
    }
    assertThatThrownBy(() -> client(new UserName("bob")).invite(code).connect())
        .isInstanceOfSatisfying(
            LoginFailedException.class,
            e -> assertThat(e.code()).contains(ErrorCode.INVITE_INVALID));
  }

  private InviteCode issue() {
    try (Directory directory = ParleyServer.openDirectory(config)) {
      return InviteCodes.issue(directory, 1, InviteCodes.DEFAULT_LIFETIME, Instant.now())
          .getFirst();
    }
  }

  private ParleyClient.Builder client(UserName name) {
    return ParleyClient.builder(ws(), name).profile(profile(name));
  }

  private Path profile(UserName name) {
    return data.resolve("profiles").resolve(name.key());
  }

  private URI ws() {
    return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
  }
}
