package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ClientCodec;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import dev.parley.server.session.SessionLimits;
import dev.parley.testkit.RawWebSocket;
import dev.parley.testkit.TestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class PresenceIntegrationTest {
  @TempDir Path data;
  private TestServer server;
  private final List<AutoCloseable> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    server =
        TestServer.start(
            data,
            config ->
                config.withLimits(
                    new SessionLimits(
                        64 * 1024,
                        50,
                        200,
                        Duration.ofSeconds(10),
                        Duration.ofMillis(300),
                        Duration.ofMillis(900))));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    server.close();
  }

  private TestClient login(String name) {
    TestClient client = server.login(name);
    clients.add(client);
    return client;
  }

  @Test
  void threeUsersLogInAndSeeEachOther() {
    TestClient alice = login("alice");
    TestClient bob = login("bob");
    TestClient carol = login("carol");

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(alice.online()).isEqualTo(Set.of("alice", "bob", "carol"));
              assertThat(bob.online()).containsAll(Set.of("alice", "carol"));
              assertThat(carol.online()).containsAll(Set.of("alice", "bob"));
            });
  }

  @Test
  void theWelcomeListsWhoIsAlreadyOnlineWithTheirKeys() {
    login("alice");
    TestClient bob = TestClient.connect(server.ws());
    clients.add(bob);
    bob.sendLogin("bob", server.identity("bob"));
    ServerMessage.Welcome welcome = bob.next(ServerMessage.Welcome.class);

    assertThat(welcome.name().value()).isEqualTo("bob");
    assertThat(welcome.online())
        .singleElement()
        .satisfies(
            user -> {
              assertThat(user.name().value()).isEqualTo("alice");
              assertThat(user.publicKey()).isEqualTo(server.identity("alice").publicKey());
            });
    assertThat(welcome.heartbeatSeconds()).isNotNegative();
    assertThat(welcome.maxFrameBytes()).isEqualTo(64 * 1024);
  }

  @Test
  void theWelcomeSaysEveryoneAndAWatchIsAcceptedWithoutAnAnswer() {
    login("alice");
    TestClient bob = TestClient.connect(server.ws());
    clients.add(bob);
    bob.sendLogin("bob", server.identity("bob"));
    ServerMessage.Welcome welcome = bob.next(ServerMessage.Welcome.class);
    assertThat(welcome.presence()).isEqualTo(PresenceMode.EVERYONE);

    bob.send(
        ClientCodec.encode(
            new ClientMessage.Watch(List.of(new UserName("nobody"), new UserName("alice"))), "w"));
    bob.send(ClientCodec.encode(new ClientMessage.Unwatch(List.of(new UserName("alice"))), "u"));
    bob.send(new ClientMessage.Ping());

    List<ServerMessage> beforePong = new ArrayList<>();
    for (ServerMessage message = bob.next(ServerMessage.class);
        !(message instanceof ServerMessage.Pong);
        message = bob.next(ServerMessage.class)) {
      beforePong.add(message);
    }
    // Only joins that may come back in presence frames anyway (bob's own, alice's just before
    // bob's login); no answer, which would name nobody, and no error.
    assertThat(beforePong)
        .allSatisfy(
            message -> {
              assertThat(message).isInstanceOf(ServerMessage.Presence.class);
              var frame = (ServerMessage.Presence) message;
              assertThat(frame.left()).isEmpty();
              assertThat(frame.joined())
                  .extracting(user -> user.name().value())
                  .isSubsetOf("alice", "bob");
            });
    // Bob still hears of everyone, watched or not.
    login("carol");
    await().atMost(Duration.ofSeconds(5)).until(() -> bob.online().contains("carol"));
  }

  @Test
  void aLeaveReachesEveryoneStillOnline() {
    TestClient alice = login("alice");
    TestClient bob = login("bob");
    TestClient carol = login("carol");
    await().until(() -> alice.online().contains("carol") && bob.online().contains("carol"));

    carol.close();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !alice.online().contains("carol") && !bob.online().contains("carol"));
    assertThat(server.server().onlineCount()).isEqualTo(2);
  }

  @Test
  void aCrashedClientIsAnnouncedAsLeft() {
    TestClient alice = login("alice");
    TestClient bob = login("bob");
    await().until(() -> alice.online().contains("bob"));

    bob.abort();

    await().atMost(Duration.ofSeconds(5)).until(() -> !alice.online().contains("bob"));
  }

  @Test
  void aSilentConnectionIsTakenForDeadWithinTheHeartbeatTimeout() throws Exception {
    TestClient alice = login("alice");
    try (RawWebSocket mute = server.loginRaw("mute")) {
      await().until(() -> alice.online().contains("mute"));
      long silentSince = System.nanoTime();

      // It never answers the server's pings: the server pings it, then gives up on it.
      assertThat(mute.readUntil(RawWebSocket.PING)).isNotNull();
      await().atMost(Duration.ofSeconds(5)).until(() -> !alice.online().contains("mute"));

      assertThat(Duration.ofNanos(System.nanoTime() - silentSince))
          .isGreaterThanOrEqualTo(Duration.ofMillis(600));
      assertThat(mute.serverClosed()).isTrue();
    }
  }

  @Test
  void aClientThatAnswersPingsStaysOnlinePastTheHeartbeatTimeout() throws Exception {
    TestClient alice = login("alice");
    try (RawWebSocket lively = server.loginRaw("lively")) {
      await().until(() -> alice.online().contains("lively"));
      // Four pings answered span more than the 900 ms timeout; silence but for pongs is life.
      for (int i = 0; i < 4; i++) {
        RawWebSocket.Frame ping = lively.readUntil(RawWebSocket.PING);
        lively.sendFrame(RawWebSocket.PONG, ping.payload());
      }
      assertThat(alice.online()).contains("lively");
      assertThat(server.server().onlineCount()).isEqualTo(2);
    }
  }

  @Test
  void aSecondLoginOfTheSameNameReplacesTheFirstWhichIsToldWhy() {
    TestClient alice = login("alice");
    TestClient first = login("bob");
    await().until(() -> alice.online().contains("bob"));
    int framesBefore = alice.presenceFrameCount();

    TestClient second = login("bob");

    assertThat(first.awaitError(ErrorCode.SESSION_REPLACED).message()).contains("logged in again");
    assertThat(first.awaitClose()).isEqualTo(1000);
    // bob stayed online throughout: nobody is told he left.
    second.send(new ClientMessage.Ping());
    second.await(ServerMessage.Pong.class);
    assertThat(alice.online()).contains("bob");
    assertThat(alice.drain())
        .filteredOn(ServerMessage.Presence.class::isInstance)
        .map(ServerMessage.Presence.class::cast)
        .allSatisfy(p -> assertThat(p.left()).isEmpty());
    assertThat(alice.presenceFrameCount()).isEqualTo(framesBefore);
  }

  @Test
  void manyJoinsAtOnceReachAWatcherInFewerFramesThanJoins() {
    TestClient watcher = login("watcher");
    List<TestClient> crowd = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String name = "user" + i;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    TestClient client = server.login(name);
                    synchronized (crowd) {
                      crowd.add(client);
                    }
                  }));
    }
    for (Thread thread : threads) {
      try {
        thread.join(TestClient.TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    clients.addAll(crowd);

    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.online().size() == 21);
    assertThat(watcher.presenceFrameCount()).isLessThan(20);
  }
}
