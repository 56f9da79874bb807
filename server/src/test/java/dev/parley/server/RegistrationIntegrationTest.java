package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerMessage;
import dev.parley.server.session.Registration;
import dev.parley.testkit.TestClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's options on registration, as a client logging in meets them. */
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
  void withRegistrationClosedOnlyKnownNamesLogIn() {
    server = TestServer.start(dir);
    dev.parley.protocol.Identity alice = server.identity("alice");
    server.login("alice").close();
    server.close();
    server =
        TestServer.start(
            dir, config -> config.toBuilder().registration(Registration.Mode.CLOSED).build());

    TestClient bob = server.connect();
    bob.sendLogin("bob", server.identity("bob"));
    bob.awaitError(ErrorCode.REGISTRATION_CLOSED);
    try (TestClient known = TestClient.login(server.ws(), "alice", alice)) {
      assertThat(known.isClosed()).isFalse();
    }
  }
}
