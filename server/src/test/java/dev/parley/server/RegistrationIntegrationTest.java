package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Identity;
import dev.parley.protocol.InviteCode;
import dev.parley.protocol.ServerMessage;
import dev.parley.server.directory.Directory;
import dev.parley.server.directory.InviteCodes;
import dev.parley.server.directory.JdbcDirectory;
import dev.parley.server.session.Registration;
import dev.parley.testkit.TestClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server's options on registration, as a client logging in meets them. */
@Timeout(60)
class RegistrationIntegrationTest {
  @TempDir Path dir;
  private TestServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void newNamesFromOneAddressAreCappedAnHourAndKnownNamesStillLogIn() {
    server = TestServer.start(dir, config -> config.toBuilder().registrationsPerHour(2).build());
    server.login("first").close();
    server.login("second").close();

    TestClient third = server.connect();
    third.sendLogin("third", server.identity("third"));
    ServerMessage.Error error = third.awaitError(ErrorCode.TOO_MANY_REGISTRATIONS);

    assertThat(error.message()).contains("at most 2 an hour");
    assertThat(third.awaitClose()).isEqualTo(1013);
    try (TestClient first = server.login("first")) {
      assertThat(first.isClosed()).isFalse();
    }
    assertThat(server.get("/metrics").body()).contains("code=\"too_many_registrations\"} 1");
  }

  @Test
  void byInvitationANewNameNeedsACodeThatRegistersOneNameOnlyAndKnownNamesLogInAsBefore() {
    Identity alice = aliceKnownThenRestartedWith(Registration.Mode.INVITE);

    TestClient uninvited = server.connect();
    uninvited.sendLogin("bob", server.identity("bob"));
    assertThat(uninvited.awaitError(ErrorCode.INVITE_REQUIRED).message())
        .contains("invitation only");
    assertThat(uninvited.awaitClose()).isEqualTo(1008);

    TestClient guessing = server.connect();
    guessing.sendLogin("bob", server.identity("bob"), new InviteCode("AAAA-BBBB-CCCC-DDDD"));
    guessing.awaitError(ErrorCode.INVITE_INVALID);
    assertThat(guessing.awaitClose()).isEqualTo(1008);

    InviteCode code;
    try (Directory operator = JdbcDirectory.sqlite(dir)) { // as parley invite does, beside it
      code = InviteCodes.issue(operator, 1, InviteCodes.DEFAULT_LIFETIME, Instant.now()).getFirst();
    }
    TestClient bob = server.connect();
    bob.sendLogin(
        "bob", server.identity("bob"), new InviteCode(code.value().toLowerCase(Locale.ROOT)));
    assertThat(bob.await(ServerMessage.Welcome.class).name().value()).isEqualTo("bob");

    TestClient carol = server.connect();
    carol.sendLogin("carol", server.identity("carol"), code);
    carol.awaitError(ErrorCode.INVITE_INVALID);
    bob.close();
    server.login("bob").close();
    try (TestClient known = TestClient.login(server.ws(), "alice", alice)) {
      assertThat(known.isClosed()).isFalse();
    }
    assertThat(server.get("/metrics").body())
        .contains("code=\"invite_required\"} 1", "code=\"invite_invalid\"} 2");
  }

  @Test
  void withRegistrationClosedOnlyKnownNamesLogIn() {
    Identity alice = aliceKnownThenRestartedWith(Registration.Mode.CLOSED);

    TestClient bob = server.connect();
    bob.sendLogin("bob", server.identity("bob"));
    bob.awaitError(ErrorCode.REGISTRATION_CLOSED);
    try (TestClient known = TestClient.login(server.ws(), "alice", alice)) {
      assertThat(known.isClosed()).isFalse();
    }
  }

  /** Registers alice on an open server, then starts it again with {@code mode}; her key. */
  private Identity aliceKnownThenRestartedWith(Registration.Mode mode) {
    server = TestServer.start(dir);
    Identity alice = server.identity("alice");
    server.login("alice").close();
    server.close();
    server = TestServer.start(dir, config -> config.toBuilder().registration(mode).build());
    return alice;
  }
}
