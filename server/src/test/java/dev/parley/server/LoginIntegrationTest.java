package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.IceServer;
import dev.parley.protocol.Identity;
import dev.parley.protocol.LoginProof;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import dev.parley.server.ice.IceServers;
import dev.parley.server.session.SessionLimits;
import dev.parley.server.stun.StunService;
import dev.parley.server.stun.StunSettings;
import dev.parley.testkit.TestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class LoginIntegrationTest {
  @TempDir Path data;
  private TestServer server;

  @BeforeEach
  void start() {
    server =
        TestServer.start(
            data,
            config ->
                config
                    .withLimits(
                        new SessionLimits(
                            64 * 1024,
                            50,
                            200,
                            Duration.ofMillis(500),
                            Duration.ofSeconds(15),
                            Duration.ofSeconds(45)))
                    .withStun(Optional.of(new StunSettings(0, true)))
                    .withIceServers(
                        new IceServers(
                            List.of("stun:stun.example.org:3478"),
                            List.of("turn:127.0.0.1:3478?transport=udp"),
                            Optional.of("s3cret"),
                            Duration.ofHours(1))));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theChallengeNamesTheVersionsAndAFreshNonce() {
    try (TestClient a = server.connect();
        TestClient b = server.connect()) {
      assertThat(a.challenge().versions()).containsExactly(1);
      assertThat(a.challenge().serverId()).isEqualTo(b.challenge().serverId());
      assertThat(a.challenge().nonce()).isNotEqualTo(b.challenge().nonce());
    }
  }

  @Test
  void aLoginForANameRegisteredToAnotherKeyIsRefusedAsImpersonation() {
    try (TestClient alice = server.login("alice");
        TestClient mallory = server.connect()) {
      mallory.sendLogin("alice", Identity.generate());

      ServerMessage.Error error = mallory.next(ServerMessage.Error.class);
      assertThat(error.code()).isEqualTo(ErrorCode.NAME_TAKEN);
      assertThat(error.message()).contains("alice");
      assertThat(mallory.awaitClose()).isEqualTo(1008);
      // The real alice is untouched.
      alice.send(new ClientMessage.Ping());
      alice.await(ServerMessage.Pong.class);
    }
  }

  @Test
  void namesAreUniqueRegardlessOfCase() {
    server.login("Alice").close();
    try (TestClient other = server.connect()) {
      other.sendLogin("aLiCe", Identity.generate());
      assertThat(other.next(ServerMessage.Error.class).code()).isEqualTo(ErrorCode.NAME_TAKEN);
    }
    try (TestClient owner = server.connect()) {
      owner.sendLogin("ALICE", server.identity("alice"));
      assertThat(owner.next(ServerMessage.Welcome.class).name().value())
          .as("the spelling of the first registration")
          .isEqualTo("Alice");
    }
  }

  @Test
  void aSignatureOverAnotherChallengeIsRefused() {
    try (TestClient client = server.connect()) {
      Identity identity = server.identity("alice");
      UserName alice = new UserName("alice");
      ServerMessage.Challenge c = client.challenge();
      client.send(
          new ClientMessage.Login(
              1,
              alice,
              identity.publicKey(),
              LoginProof.sign(identity, c.serverId(), "an-old-nonce", alice)));

      assertThat(client.next(ServerMessage.Error.class).code()).isEqualTo(ErrorCode.BAD_SIGNATURE);
      assertThat(client.awaitClose()).isEqualTo(1008);
    }
    assertThat(server.get("/api/users/alice").statusCode()).isEqualTo(404);
  }

  @Test
  void aLoginReplayedOnAnotherConnectionIsRefused() {
    Identity identity = server.identity("alice");
    UserName alice = new UserName("alice");
    ClientMessage.Login captured;
    try (TestClient first = server.connect()) {
      ServerMessage.Challenge c = first.challenge();
      captured =
          new ClientMessage.Login(
              1,
              alice,
              identity.publicKey(),
              LoginProof.sign(identity, c.serverId(), c.nonce(), alice));
      first.send(captured);
      first.next(ServerMessage.Welcome.class);
    }
    try (TestClient replay = server.connect()) {
      replay.send(captured);
      assertThat(replay.next(ServerMessage.Error.class).code()).isEqualTo(ErrorCode.BAD_SIGNATURE);
    }
  }

  @Test
  void anUnsupportedVersionGetsAClearError() {
    try (TestClient client = server.connect()) {
      Identity identity = server.identity("alice");
      UserName alice = new UserName("alice");
      ServerMessage.Challenge c = client.challenge();
      client.send(
          new ClientMessage.Login(
              99,
              alice,
              identity.publicKey(),
              LoginProof.sign(identity, c.serverId(), c.nonce(), alice)));

      ServerMessage.Error error = client.next(ServerMessage.Error.class);
      assertThat(error.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
      assertThat(error.message()).contains("99").contains("[1]");
      assertThat(client.awaitClose()).isEqualTo(1008);
    }
  }

  @Test
  void aMalformedNameIsRefusedAndAnotherNameMayBeTried() {
    try (TestClient client = server.connect()) {
      client.send(
          "{\"type\":\"login\",\"version\":1,\"name\":\"al ice\",\"publicKey\":\""
              + server.identity("x").publicKey().encoded()
              + "\",\"signature\":\""
              + "A".repeat(86)
              + "\"}");
      ServerMessage.Error error = client.next(ServerMessage.Error.class);
      assertThat(error.code()).isEqualTo(ErrorCode.INVALID_NAME);
      assertThat(error.message()).contains("1-32 characters");

      client.sendLogin("alice", server.identity("alice"));
      client.next(ServerMessage.Welcome.class);
    }
  }

  @Test
  void anythingButALoginBeforeLoggingInIsRefusedAndTheConnectionStays() {
    try (TestClient client = server.connect()) {
      client.send("{\"type\":\"offer\",\"to\":\"bob\",\"data\":{},\"ref\":\"o1\"}");
      ServerMessage.Error error = client.next(ServerMessage.Error.class);
      assertThat(error.code()).isEqualTo(ErrorCode.NOT_LOGGED_IN);
      assertThat(error.ref()).isEqualTo("o1");

      client.sendLogin("alice", server.identity("alice"));
      client.next(ServerMessage.Welcome.class);
    }
  }

  @Test
  void aSecondLoginOnTheSameConnectionIsRefused() {
    try (TestClient client = server.login("alice")) {
      client.sendLogin("alice", server.identity("alice"));
      // Its own join may be announced to it first: presence frames may name the recipient.
      assertThat(client.awaitError(ErrorCode.ALREADY_LOGGED_IN).message()).contains("logged in");
    }
  }

  @Test
  void aConnectionThatDoesNotLogInInTimeIsClosed() {
    try (TestClient idle = server.connect()) {
      assertThat(idle.next(ServerMessage.Error.class).code()).isEqualTo(ErrorCode.LOGIN_TIMEOUT);
      assertThat(idle.awaitClose()).isEqualTo(1008);
    }
  }

  @Test
  void theWelcomeCarriesTheIceServersWithShortLivedTurnCredentials() {
    try (TestClient client = server.connect()) {
      client.sendLogin("alice", server.identity("alice"));
      List<IceServer> ice = client.next(ServerMessage.Welcome.class).iceServers();

      assertThat(ice).hasSize(2);
      int stunPort = ((StunService.State.Listening) server.server().stun()).port();
      assertThat(ice.get(0).urls())
          .as("our own STUN server, at the host the client named, then the operator's")
          .containsExactly("stun:127.0.0.1:" + stunPort, "stun:stun.example.org:3478");
      assertThat(ice.get(0).username()).isNull();
      IceServer turn = ice.get(1);
      assertThat(turn.urls()).containsExactly("turn:127.0.0.1:3478?transport=udp");
      String[] username = java.util.Objects.requireNonNull(turn.username()).split(":", -1);
      assertThat(username[1]).isEqualTo("alice");
      long expiry = Long.parseLong(username[0]);
      long now = java.time.Instant.now().getEpochSecond();
      assertThat(expiry).isBetween(now + 3500, now + 3700);
      assertThat(turn.credential()).isNotBlank();
    }
  }

  @Test
  void aRestartKeepsEveryRegisteredUser() {
    server.login("alice").close();
    server.login("bob").close();

    server.restart();

    try (TestClient alice = server.login("alice");
        TestClient impostor = server.connect()) {
      impostor.sendLogin("bob", Identity.generate());
      assertThat(impostor.next(ServerMessage.Error.class).code()).isEqualTo(ErrorCode.NAME_TAKEN);
      assertThat(alice.isClosed()).isFalse();
    }
    assertThat(server.get("/api/users/bob").body())
        .contains(server.identity("bob").publicKey().encoded());
  }
}
