package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.Identity;
import dev.parley.protocol.Json;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.SignalKind;
import dev.parley.protocol.UserName;
import dev.parley.server.cluster.ClusterSettings;
import dev.parley.server.transport.Transport;
import dev.parley.server.transport.TransportUnavailableException;
import dev.parley.testkit.PostgresExtension;
import dev.parley.testkit.PostgresServer;
import dev.parley.testkit.RedisServer;
import dev.parley.testkit.TestClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server on each of Netty's transports: a login and a relay on one node, and a relay between
 * two nodes through Redis, whose client then runs on the nodes' loops of that transport. A
 * transport that cannot load on this machine is asked for all the same, and must stop the start.
 */
@Timeout(90)
@ExtendWith(PostgresExtension.class)
class TransportIntegrationTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static RedisServer redis;

  @TempDir Path data;
  private final List<AutoCloseable> started = new ArrayList<>();

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
    for (AutoCloseable closeable : started.reversed()) {
      closeable.close();
    }
    redis.command("FLUSHALL");
  }

  private static ServerConfig config(Path data, Transport transport) {
    return ServerConfig.defaults().toBuilder()
        .port(0)
        .dataDirectory(data)
        .registrationsPerHour(100_000)
        .stun(Optional.empty())
        .transport(transport)
        .build();
  }

  private ParleyServer start(ServerConfig config) {
    ParleyServer server = ParleyServer.start(config);
    started.add(server);
    return server;
  }

  private TestClient login(ParleyServer server, String name) {
    TestClient client =
        TestClient.login(
            URI.create("ws://127.0.0.1:" + server.port() + "/ws"), name, Identity.generate());
    started.add(client);
    return client;
  }

  private static void assertAnOfferIsRelayed(TestClient from, TestClient to, String toName) {
    from.send(
        new ClientMessage.Signal(
            SignalKind.OFFER, new UserName(toName), Json.parse("{\"sdp\":\"v=0\"}")));
    ServerMessage.Signal offer = to.await(ServerMessage.Signal.class);
    assertThat(offer.kind()).isEqualTo(SignalKind.OFFER);
    assertThat(offer.data()).isEqualTo(Json.parse("{\"sdp\":\"v=0\"}"));
  }

  /** Whether {@code transport} loads here; if not, asking for it must stop the start. */
  private static boolean loads(Transport transport, ServerConfig config) {
    if (transport.unavailability().isEmpty()) {
      return true;
    }
    assertThatThrownBy(() -> ParleyServer.start(config))
        .isInstanceOf(TransportUnavailableException.class)
        .hasMessageStartingWith("the " + transport + " transport cannot run here (");
    return false;
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void usersLogInAndSignalEachOtherOnEachTransport(Transport transport) {
    ServerConfig config = config(data, transport);
    if (!loads(transport, config)) {
      return;
    }
    ParleyServer server = start(config);
    assertThat(server.transport()).isEqualTo(transport);

    TestClient alice = login(server, "alice");
    TestClient bob = login(server, "bob");
    await().atMost(BOUND).until(() -> alice.online().contains("bob"));

    assertAnOfferIsRelayed(alice, bob, "bob");
    assertAnOfferIsRelayed(bob, alice, "alice");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aSignalCrossesNodesThroughRedisOnEachTransport(
      Transport transport, PostgresServer postgres) {
    String database = postgres.createDatabase();
    List<ParleyServer> nodes = new ArrayList<>();
    for (String node : List.of("n1", "n2")) {
      ServerConfig config =
          config(data.resolve(node), transport)
              .withDatabase(database, postgres.user(), postgres.password())
              .withCluster(ClusterSettings.of(redis.uri(), node));
      if (!loads(transport, config)) {
        return;
      }
      nodes.add(start(config));
    }

    TestClient alice = login(nodes.get(0), "alice");
    TestClient bob = login(nodes.get(1), "bob");
    await().atMost(BOUND).until(() -> alice.online().contains("bob"));

    assertAnOfferIsRelayed(alice, bob, "bob");
    assertAnOfferIsRelayed(bob, alice, "alice");
  }
}
