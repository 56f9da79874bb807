package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.ClientCodec;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Identity;
import dev.parley.protocol.Json;
import dev.parley.protocol.PresenceMode;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.SignalKind;
import dev.parley.protocol.UserName;
import dev.parley.server.cluster.ClusterSettings;
import dev.parley.testkit.PostgresExtension;
import dev.parley.testkit.PostgresServer;
import dev.parley.testkit.RedisServer;
import dev.parley.testkit.TestClient;
import dev.parley.testkit.TextSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes sharing one PostgreSQL directory and one Redis, each a server of its own with its own
 * Redis connections: whatever works on one node works across them.
 */
@Timeout(90)
@ExtendWith(PostgresExtension.class)
class ClusterIntegrationTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static RedisServer redis;

  @TempDir Path data;
  private final List<ParleyServer> nodes = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();
  private final Map<String, Identity> identities = new ConcurrentHashMap<>();
  private String databaseUrl;
  private PostgresServer postgres;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    for (ParleyServer node : nodes) {
      node.close();
    }
    if (!redis.running()) {
      redis.resume();
    }
    redis.command("FLUSHALL");
  }

  private void startNodes(PostgresServer postgres, PresenceMode mode, int count) {
    this.postgres = postgres;
    databaseUrl = postgres.createDatabase();
    for (int i = 1; i <= count; i++) {
      nodes.add(startNode("n" + i, mode));
    }
  }

  private ParleyServer startNode(String id, PresenceMode mode) {
    return ParleyServer.start(
        ServerConfig.defaults().toBuilder()
            .peerJsPath("/peerjs")
            .peerJsExpireTimeout(Duration.ofMillis(800))
            .peerJsAllowDiscovery(true)
            .port(0)
            .dataDirectory(data.resolve(id))
            .registrationsPerHour(100_000)
            .stun(java.util.Optional.empty())
            .presenceMode(mode)
            .build()
            .withDatabase(databaseUrl, postgres.user(), postgres.password())
            .withCluster(ClusterSettings.of(redis.uri(), id)));
  }

  private URI ws(ParleyServer node) {
    return URI.create("ws://127.0.0.1:" + node.port() + "/ws");
  }

  private Identity identity(String name) {
    return identities.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> Identity.generate());
  }

  private TestClient login(int node, String name) {
    TestClient client = TestClient.login(ws(nodes.get(node - 1)), name, identity(name));
    clients.add(client);
    return client;
  }

  private static ClientMessage.Signal offer(String to) {
    return new ClientMessage.Signal(
        SignalKind.OFFER, new UserName(to), Json.parse("{\"sdp\":\"v=0\"}"));
  }

  /** Whom {@code client} was told is online, besides itself (a batch may name it too). */
  private static Set<String> others(TestClient client, String self) {
    Set<String> online = new java.util.HashSet<>(client.online());
    online.remove(self);
    return online;
  }

  private static String health(ParleyServer node) throws Exception {
    return get(node, "/health");
  }

  @Test
  void everyoneSeesEveryoneOnEveryNode(PostgresServer postgres) {
    startNodes(postgres, PresenceMode.EVERYONE, 3);
    TestClient alice = login(1, "alice");
    TestClient bob = login(2, "bob");

    await().atMost(BOUND).until(() -> alice.online().contains("bob"));
    TestClient carol = login(3, "carol");
    assertThat(carol.online()).contains("alice", "bob"); // from the welcome

    await().atMost(BOUND).until(() -> alice.online().contains("carol"));
    await().atMost(BOUND).until(() -> bob.online().containsAll(Set.of("alice", "carol")));
    bob.close();
    await().atMost(BOUND).until(() -> !alice.online().contains("bob"));
    await().atMost(BOUND).until(() -> !carol.online().contains("bob"));
    assertThat(nodes.get(0).onlineCount()).isEqualTo(1); // this node's own
  }

  @Test
  void aSignalReachesItsAddresseeOnAnotherNodeAndErrorsAreAsOnOneNode(PostgresServer postgres) {
    startNodes(postgres, PresenceMode.EVERYONE, 3);
    TestClient alice = login(1, "alice");
    TestClient bob = login(2, "bob");
    login(3, "carol").close(); // registered, now offline
    await().atMost(BOUND).until(() -> alice.online().contains("bob"));

    alice.send(offer("BOB"));
    ServerMessage.Signal received = bob.await(ServerMessage.Signal.class);
    assertThat(received.from().value()).isEqualTo("alice");
    assertThat(received.data()).isEqualTo(Json.parse("{\"sdp\":\"v=0\"}"));

    bob.send(
        new ClientMessage.Signal(
            SignalKind.ANSWER, new UserName("alice"), Json.parse("{\"sdp\":\"v=1\"}")));
    assertThat(alice.await(ServerMessage.Signal.class).kind()).isEqualTo(SignalKind.ANSWER);

    await().atMost(BOUND).until(() -> !alice.online().contains("carol"));
    alice.send(ClientCodec.encode(offer("carol"), "r1"));
    assertThat(alice.awaitError(ErrorCode.USER_OFFLINE).ref()).isEqualTo("r1");
    alice.send(ClientCodec.encode(offer("nobody"), "r2"));
    assertThat(alice.awaitError(ErrorCode.UNKNOWN_USER).ref()).isEqualTo("r2");
  }

  @Test
  void aLoginOnAnotherNodeReplacesTheSessionWithoutALeave(PostgresServer postgres) {
    startNodes(postgres, PresenceMode.EVERYONE, 3);
    TestClient watcher = login(3, "watcher");
    TestClient first = login(1, "alice");
    await().atMost(BOUND).until(() -> watcher.online().contains("alice"));
    int framesBefore = watcher.presenceFrameCount();

    TestClient second = login(2, "alice");

    assertThat(first.awaitError(ErrorCode.SESSION_REPLACED).message()).contains("logged in again");
    first.awaitClose();
    assertThat(nodes.get(0).onlineCount()).isZero();
    second.send(offer("watcher"));
    assertThat(watcher.await(ServerMessage.Signal.class).from().value()).isEqualTo("alice");
    watcher.send(offer("alice"));
    assertThat(second.await(ServerMessage.Signal.class).from().value()).isEqualTo("watcher");
    assertThat(watcher.online()).contains("alice");
    // Whatever frames came, none said alice left.
    assertThat(watcher.drain())
        .filteredOn(ServerMessage.Presence.class::isInstance)
        .map(ServerMessage.Presence.class::cast)
        .allSatisfy(frame -> assertThat(frame.left()).doesNotContain(new UserName("alice")));
    assertThat(watcher.presenceFrameCount()).isGreaterThanOrEqualTo(framesBefore);
  }

  @Test
  void inContactsModeAWatcherHearsOfItsNamesOnOtherNodesOnly(PostgresServer postgres) {
    startNodes(postgres, PresenceMode.CONTACTS, 3);
    TestClient alice = login(2, "alice");
    login(3, "bob");
    TestClient watcher = login(1, "watcher");
    assertThat(watcher.online()).isEmpty();

    watcher.send(
        ClientCodec.encode(
            new ClientMessage.Watch(List.of(new UserName("alice"), new UserName("carol"))), "w"));
    await().atMost(BOUND).until(() -> watcher.online().equals(Set.of("alice")));
    TestClient carol = login(3, "carol");
    await().atMost(BOUND).until(() -> watcher.online().equals(Set.of("alice", "carol")));
    alice.close();
    carol.close();
    await().atMost(BOUND).until(() -> watcher.online().isEmpty());
    assertThat(watcher.drain())
        .filteredOn(ServerMessage.Presence.class::isInstance)
        .map(ServerMessage.Presence.class::cast)
        .allSatisfy(
            frame ->
                assertThat(frame.joined()).extracting(u -> u.name().value()).doesNotContain("bob"));
  }

  @Test
  void withRedisAwayEachNodeServesItsOwnAndTheViewsAgreeOnceItIsBack(PostgresServer postgres)
      throws Exception {
    startNodes(postgres, PresenceMode.EVERYONE, 2);
    TestClient alice = login(1, "alice");
    TestClient leaving = login(2, "leaving");
    TestClient bob = login(2, "bob");
    await().atMost(BOUND).until(() -> alice.online().containsAll(Set.of("bob", "leaving")));

    redis.kill();
    await().atMost(BOUND).until(() -> health(nodes.get(0)).contains("\"degraded\""));
    TestClient carol = login(1, "carol"); // logs in meanwhile
    await().atMost(BOUND).until(() -> alice.online().contains("carol"));
    carol.send(offer("alice")); // a relay on one node goes on
    assertThat(alice.await(ServerMessage.Signal.class).from().value()).isEqualTo("carol");
    leaving.close(); // leaves meanwhile: nobody on node 1 can hear of it yet

    redis.resume();

    for (ParleyServer node : nodes) { // each finds Redis again in its own time
      await().atMost(BOUND).until(() -> health(node).contains("\"status\":\"ok\""));
    }
    await().atMost(BOUND).until(() -> others(alice, "alice").equals(Set.of("bob", "carol")));
    await().atMost(BOUND).until(() -> others(bob, "bob").equals(Set.of("alice", "carol")));
    bob.send(offer("carol"));
    assertThat(carol.await(ServerMessage.Signal.class).from().value()).isEqualTo("bob");
  }

  @Test
  void withPostgresAwayLoginsAreRefusedSayingSoAndThoseOnlineGoOn() throws Exception {
    PostgresServer own = PostgresServer.start();
    try {
      startNodes(own, PresenceMode.EVERYONE, 2);
      TestClient alice = login(1, "alice");
      TestClient bob = login(2, "bob");
      login(1, "carol").close();
      await().atMost(BOUND).until(() -> alice.online().contains("bob"));

      own.close();

      alice.send(offer("bob")); // no directory needed: bob is online
      assertThat(bob.await(ServerMessage.Signal.class).from().value()).isEqualTo("alice");
      TestClient carol = TestClient.connect(ws(nodes.get(0)));
      clients.add(carol);
      carol.sendLogin("carol", identity("carol"));
      List<ServerMessage> heard = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                heard.addAll(carol.drain());
                return heard.stream()
                    .anyMatch(
                        m ->
                            m instanceof ServerMessage.Error error
                                && error.code() == ErrorCode.INTERNAL_ERROR);
              });
      assertThat(heard).noneMatch(ServerMessage.Welcome.class::isInstance);
      assertThat(health(nodes.get(0))).contains("directory unavailable");
      alice.send(offer("bob")); // the node lives on
      assertThat(bob.await(ServerMessage.Signal.class).from().value()).isEqualTo("alice");
    } finally {
      own.close(); // again, if the test failed before it did
    }
  }

  private TextSocket peerJs(int node, String id, String token) {
    TextSocket socket =
        TextSocket.open(
            URI.create(
                "ws://127.0.0.1:"
                    + nodes.get(node - 1).port()
                    + "/peerjs/peerjs?key=peerjs&version=1.5.5&id="
                    + id
                    + "&token="
                    + token));
    clients.add(socket);
    return socket;
  }

  private static JsonNode json(String text) throws Exception {
    return new ObjectMapper().readTree(text);
  }

  private static String peerJsMessage(String type, String dst, String payload) {
    return "{\"type\":\"" + type + "\",\"dst\":\"" + dst + "\",\"payload\":" + payload + "}";
  }

  @Test
  void peerJsIdsAreUniqueAcrossNodesAndMessagesFindThemWhereverTheyAre(PostgresServer postgres)
      throws Exception {
    startNodes(postgres, PresenceMode.EVERYONE, 3);
    TextSocket alice = peerJs(1, "alice", "ta");
    assertThat(json(alice.next()).get("type").asText()).isEqualTo("OPEN");
    TextSocket bob = peerJs(2, "bob", "tb");
    assertThat(json(bob.next()).get("type").asText()).isEqualTo("OPEN");

    // An id held on node 1 is taken for another token on node 3; fresh ids avoid it.
    TextSocket thief = peerJs(3, "alice", "other");
    assertThat(json(thief.next()).get("type").asText()).isEqualTo("ID-TAKEN");
    assertThat(thief.awaitClose()).isEqualTo(1008);

    // An offer from node 1 to an id on node 2, with the src the server knows.
    await().atMost(BOUND).until(() -> discovered(nodes.get(0)).contains("bob"));
    alice.send(peerJsMessage("OFFER", "bob", "{\"sdp\":\"v=0\"}"));
    JsonNode offer = json(bob.next());
    assertThat(offer.get("type").asText()).isEqualTo("OFFER");
    assertThat(offer.get("src").asText()).isEqualTo("alice");
    bob.send(peerJsMessage("ANSWER", "alice", "{\"sdp\":\"v=1\"}"));
    assertThat(json(alice.next()).get("src").asText()).isEqualTo("bob");

    // The same token re-attaches on another node: OPEN there, the old socket closed.
    TextSocket bobAgain = peerJs(3, "bob", "tb");
    assertThat(json(bobAgain.next()).get("type").asText()).isEqualTo("OPEN");
    assertThat(bob.awaitClose()).isEqualTo(1000);
    await().atMost(BOUND).until(() -> discovered(nodes.get(0)).contains("bob"));
    alice.send(peerJsMessage("CANDIDATE", "bob", "{\"candidate\":\"c\"}"));
    assertThat(json(bobAgain.next()).get("type").asText()).isEqualTo("CANDIDATE");

    // A message to an id nobody holds waits, and goes to the node where it connects.
    alice.send(peerJsMessage("OFFER", "carol", "{\"sdp\":\"queued\"}"));
    TextSocket carol = peerJs(2, "carol", "tc");
    assertThat(json(carol.next()).get("type").asText()).isEqualTo("OPEN");
    JsonNode queued = json(carol.next());
    assertThat(queued.get("src").asText()).isEqualTo("alice");
    assertThat(queued.at("/payload/sdp").asText()).isEqualTo("queued");

    // One that never connects expires at the sender's node.
    alice.send(peerJsMessage("OFFER", "nobody", "{}"));
    JsonNode expire = json(alice.next());
    assertThat(expire.get("type").asText()).isEqualTo("EXPIRE");
    assertThat(expire.get("src").asText()).isEqualTo("nobody");
  }

  private List<String> discovered(ParleyServer node) throws Exception {
    List<String> ids = new ArrayList<>();
    json(get(node, "/peerjs/peerjs/peers")).forEach(id -> ids.add(id.asText()));
    return ids;
  }

  private static String get(ParleyServer node, String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void healthShowsTheNodeAndTheDeploymentItSees(PostgresServer postgres) throws Exception {
    startNodes(postgres, PresenceMode.EVERYONE, 3);
    login(1, "alice");
    login(2, "bob");

    await()
        .atMost(BOUND)
        .until(() -> health(nodes.get(2)).contains("\"nodes\":[\"n1\",\"n2\",\"n3\"]"));
    String health = health(nodes.get(2));
    assertThat(health)
        .contains("\"status\":\"ok\"", "\"node\":\"n3\"", "\"redis\":\"reachable\"")
        .contains("\"online\":0", "\"onlineInDeployment\":2");
    assertThat(get(nodes.get(2), "/metrics"))
        .contains("parley_online_users 0", "parley_deployment_online_users 2")
        .contains("parley_deployment_nodes 3");
  }
}
