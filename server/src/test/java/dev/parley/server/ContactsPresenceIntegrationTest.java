package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ClientCodec;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.OnlineUser;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserName;
import dev.parley.testkit.TestClient;
import dev.parley.testkit.TextSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A server in contacts mode: each client hears only of the names it watches. */
@Timeout(60)
class ContactsPresenceIntegrationTest {
  @TempDir Path data;
  private TestServer server;
  private final List<AutoCloseable> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    server = TestServer.start(data, config -> config.withPresenceMode(PresenceMode.CONTACTS));
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

  private static String watch(String ref, String... names) {
    return ClientCodec.encode(new ClientMessage.Watch(names(names)), ref);
  }

  private static List<UserName> names(String... names) {
    return Arrays.stream(names).map(UserName::new).toList();
  }

  private OnlineUser online(String name) {
    return new OnlineUser(new UserName(name), server.identity(name).publicKey());
  }

  @Test
  void theWelcomeSaysContactsAndListsNobodyHoweverManyAreOnline() {
    login("alice");
    login("bob");
    TestClient carol = server.connect();
    clients.add(carol);

    carol.sendLogin("carol", server.identity("carol"));
    ServerMessage.Welcome welcome = carol.next(ServerMessage.Welcome.class);

    assertThat(welcome.presence()).isEqualTo(PresenceMode.CONTACTS);
    assertThat(welcome.online()).isEmpty();
  }

  @Test
  void aWatcherGetsTheStateOfItsNamesThenTheirComingsAndGoingsAndNothingElse() {
    TestClient alice = login("alice");
    login("Carol").close(); // registered, then offline
    await().until(() -> server.server().onlineCount() == 1);
    TestClient watcher = login("watcher");

    watcher.send(watch("w1", "ALICE", "carol", "nobody"));

    // Offline and never registered are told alike; names not online are spelled as sent.
    assertThat(watcher.next(ServerMessage.Presence.class))
        .isEqualTo(new ServerMessage.Presence(List.of(online("alice")), names("carol", "nobody")));

    login("bob"); // not watched
    login("carol");
    alice.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> !watcher.online().contains("alice"));
    login("dave"); // not watched
    login("nobody"); // watched before it was registered
    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.online().contains("nobody"));

    assertThat(watcher.online()).isEqualTo(Set.of("Carol", "nobody"));
    assertThat(watcher.drain())
        .allSatisfy(message -> assertThat(message).isInstanceOf(ServerMessage.Presence.class))
        .map(ServerMessage.Presence.class::cast)
        .allSatisfy(
            frame -> {
              assertThat(frame.joined()).extracting(u -> u.name().value()).doesNotContain("bob");
              assertThat(frame.joined()).extracting(u -> u.name().value()).doesNotContain("dave");
              assertThat(frame.joined())
                  .allSatisfy(
                      user ->
                          assertThat(user.publicKey())
                              .isEqualTo(server.identity(user.name().value()).publicKey()));
            });
  }

  @Test
  void aClientMayWatchItselfAndIsToldItIsOnline() {
    TestClient watcher = login("watcher");

    watcher.send(watch("me", "watcher"));

    assertThat(watcher.next(ServerMessage.Presence.class))
        .isEqualTo(new ServerMessage.Presence(List.of(online("watcher")), List.of()));
  }

  @Test
  void aReplacedSessionIsNotAnnouncedToWatchersAndItsWatchesGo() {
    TestClient watcher = login("watcher");
    watcher.send(watch("w", "bob", "carol"));
    watcher.next(ServerMessage.Presence.class);
    TestClient first = login("bob");
    first.send(watch("b", "carol"));
    first.next(ServerMessage.Presence.class);
    await().until(() -> watcher.online().contains("bob"));
    await().until(() -> watches() == 3);

    login("bob");
    assertThat(first.awaitClose()).isEqualTo(1000);
    await().until(() -> watches() == 2);
    login("carol");
    await().until(() -> watcher.online().contains("carol"));

    assertThat(watcher.drain())
        .map(ServerMessage.Presence.class::cast)
        .allSatisfy(frame -> assertThat(frame.left()).isEmpty())
        .flatMap(ServerMessage.Presence::joined)
        .extracting(u -> u.name().value())
        .containsOnlyOnce("bob");
  }

  @Test
  void aWatchOfMoreThanAHundredNamesIsRefusedWithItsRef() {
    TestClient watcher = login("watcher");
    String[] many = IntStream.range(0, 101).mapToObj(i -> "u" + i).toArray(String[]::new);

    watcher.send(
        "{\"type\":\"watch\",\"names\":[\"" + String.join("\",\"", many) + "\"],\"ref\":\"big\"}");

    ServerMessage.Error error = watcher.next(ServerMessage.Error.class);
    assertThat(error.code()).isEqualTo(ErrorCode.WATCH_LIMIT);
    assertThat(error.ref()).isEqualTo("big");
    assertThat(watches()).isZero();
  }

  @Test
  void aConnectionWatchesAThousandNamesAndAWatchPastThatIsRefusedWhole() {
    TestClient watcher = login("watcher");
    for (int batch = 0; batch < 10; batch++) {
      int first = batch * 100;
      watcher.send(
          watch(
              "w" + batch,
              IntStream.range(first, first + 100).mapToObj(i -> "u" + i).toArray(String[]::new)));
      assertThat(watcher.next(ServerMessage.Presence.class).left()).hasSize(100);
    }
    assertThat(watches()).isEqualTo(1000);

    watcher.send(watch("over", "u1", "alice"));

    ServerMessage.Error error = watcher.next(ServerMessage.Error.class);
    assertThat(error.code()).isEqualTo(ErrorCode.WATCH_LIMIT);
    assertThat(error.message()).contains("at most 1000");
    assertThat(error.ref()).isEqualTo("over");
    assertThat(watches()).isEqualTo(1000);
    login("alice"); // not watched: the refused watch changed nothing
    login("u7");
    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.online().contains("u7"));
    assertThat(watcher.online()).doesNotContain("alice");
  }

  @Test
  void malformedWatchesAreRefusedWithTheirCodesAndTheConnectionStays() {
    TestClient early = server.connect();
    clients.add(early);
    early.send(watch("w0", "bob"));
    assertThat(early.next(ServerMessage.Error.class).code()).isEqualTo(ErrorCode.NOT_LOGGED_IN);

    TestClient watcher = login("watcher");
    watcher.send("{\"type\":\"watch\",\"names\":\"bob\",\"ref\":\"w1\"}");
    assertThat(watcher.next(ServerMessage.Error.class).code()).isEqualTo(ErrorCode.INVALID_FIELD);
    watcher.send("{\"type\":\"unwatch\",\"names\":[7],\"ref\":\"w2\"}");
    assertThat(watcher.next(ServerMessage.Error.class).code()).isEqualTo(ErrorCode.INVALID_FIELD);
    watcher.send("{\"type\":\"watch\",\"names\":[\"bob\",\"b o b\"],\"ref\":\"w3\"}");
    ServerMessage.Error badName = watcher.next(ServerMessage.Error.class);
    assertThat(badName.code()).isEqualTo(ErrorCode.INVALID_NAME);
    assertThat(badName.ref()).isEqualTo("w3");

    watcher.send(new ClientMessage.Ping());
    watcher.next(ServerMessage.Pong.class);
    assertThat(watches()).isZero();
  }

  @Test
  void anUnwatchedNameIsHeardOfNoMore() {
    TestClient watcher = login("watcher");
    watcher.send(watch("w", "alice", "bob"));
    watcher.next(ServerMessage.Presence.class);

    watcher.send(ClientCodec.encode(new ClientMessage.Unwatch(names("Alice", "nobody"))));
    await().until(() -> watches() == 1);
    login("alice");
    login("bob");
    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.online().contains("bob"));

    assertThat(watcher.online()).isEqualTo(Set.of("bob"));
  }

  @Test
  void watchesGoWithTheirConnection() {
    TestClient watcher = login("watcher");
    watcher.send(watch("w", "alice", "bob", "carol"));
    watcher.next(ServerMessage.Presence.class);
    TestClient other = login("other");
    other.send(watch("o", "alice", "dave"));
    other.next(ServerMessage.Presence.class);
    assertThat(watches()).isEqualTo(5);

    watcher.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> watches() == 2);
    other.abort();
    await().atMost(Duration.ofSeconds(5)).until(() -> watches() == 0);
  }

  @Test
  void thePeerJsEndpointIsUnaffected() {
    TextSocket alice = peerJs("alice");
    TextSocket bob = peerJs("bob");

    alice.send("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":{\"sdp\":\"x\"}}");

    assertThat(bob.next()).contains("\"type\":\"OFFER\"", "\"src\":\"alice\"");
  }

  private TextSocket peerJs(String id) {
    TextSocket socket =
        TextSocket.open(
            URI.create(
                "ws://127.0.0.1:"
                    + server.port()
                    + "/peerjs/peerjs?key=peerjs&id="
                    + id
                    + "&token=t-"
                    + id));
    clients.add(socket);
    assertThat(socket.next()).contains("\"type\":\"OPEN\"");
    return socket;
  }

  /** The names watched on the server, summed over its connections, from {@code /metrics}. */
  private long watches() {
    return server
        .get("/metrics")
        .body()
        .lines()
        .filter(line -> line.startsWith("parley_watches "))
        .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(' ') + 1)))
        .findFirst()
        .orElseThrow();
  }
}
