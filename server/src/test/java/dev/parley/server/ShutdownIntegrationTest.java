package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ErrorCode;
import dev.parley.testkit.TestClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ShutdownIntegrationTest {
  @TempDir Path data;

  @Test
  void aShutdownTellsEveryClientAndClosesTheirConnections() {
    TestServer server = TestServer.start(data);
    TestClient alice = server.login("alice");
    TestClient waiting = server.connect();

    server.close();

    assertThat(alice.awaitError(ErrorCode.SERVER_SHUTDOWN).message()).contains("shutting down");
    assertThat(alice.awaitClose()).isEqualTo(1001);
    assertThat(waiting.awaitError(ErrorCode.SERVER_SHUTDOWN)).isNotNull();
    assertThat(waiting.awaitClose()).isEqualTo(1001);
    assertThatThrownBy(() -> TestClient.connect(server.ws())).isNotNull();
  }

  @Test
  void lastSeenIsRecordedBeforeTheDirectoryCloses() {
    TestServer server = TestServer.start(data);
    server.login("alice");
    long loggedIn =
        System.currentTimeMillis(); // alice was registered at this millisecond or before
    // The directory keeps milliseconds: a close in the login's millisecond could not be told apart.
    await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > loggedIn);
    server.close();

    try (var directory = dev.parley.server.directory.JdbcDirectory.sqlite(data)) {
      var alice = directory.find(new dev.parley.protocol.UserName("alice")).orElseThrow();
      assertThat(alice.lastSeen()).isAfter(alice.created());
    }
  }
}
