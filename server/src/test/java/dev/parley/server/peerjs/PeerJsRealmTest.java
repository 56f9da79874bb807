package dev.parley.server.peerjs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.ServerConfig;
import dev.parley.server.connection.Endpoint;
import dev.parley.server.connection.FakeConnection;
import dev.parley.server.limits.AddressLimit;
import dev.parley.server.metrics.Metrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeerJsRealmTest {
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final AddressLimit addressLimit = new AddressLimit(10);
  private final PeerJsRealm realm =
      new PeerJsRealm(
          new PeerJsConfig(
              "/peerjs", "peerjs", Duration.ofHours(1), Duration.ofMinutes(1), 10, false, 2),
          addressLimit,
          new Metrics(),
          1000,
          1000,
          timers);

  @AfterEach
  void stop() {
    realm.close();
    timers.shutdownNow();
  }

  private Endpoint connect(String id, FakeConnection connection) {
    return realm
        .connect(Map.of("key", "peerjs", "id", id, "token", "t-" + id), connection)
        .orElseThrow();
  }

  @Test
  void aRelayToASocketThatDiedReturnsLeaveToTheSender() {
    FakeConnection aliceSocket = new FakeConnection("127.0.0.1");
    FakeConnection bobSocket = new FakeConnection("127.0.0.2");
    Endpoint alice = connect("alice", aliceSocket);
    connect("bob", bobSocket);
    bobSocket.die();

    alice.onText("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":{}}".getBytes(UTF_8));

    assertThat(aliceSocket.sent())
        .last()
        .isEqualTo("{\"type\":\"LEAVE\",\"src\":\"bob\",\"dst\":\"alice\"}");
    assertThat(realm.ids()).containsExactly("alice");
  }

  @Test
  void aLeaveToNobodyIsTheSenderSayingGoodbye() {
    FakeConnection aliceSocket = new FakeConnection("127.0.0.1");
    Endpoint alice = connect("alice", aliceSocket);

    alice.onText("{\"type\":\"LEAVE\"}".getBytes(UTF_8));

    assertThat(realm.ids()).isEmpty();
    assertThat(aliceSocket.isOpen()).isFalse();
  }

  @Test
  void theQueueForAnAbsentPeerIsBoundedAndTheOverflowExpiresAtOnce() {
    FakeConnection aliceSocket = new FakeConnection("127.0.0.1");
    Endpoint alice = connect("alice", aliceSocket);

    for (int i = 0; i < 3; i++) {
      alice.onText(
          ("{\"type\":\"CANDIDATE\",\"dst\":\"carol\",\"payload\":{\"i\":" + i + "}}")
              .getBytes(UTF_8));
    }

    assertThat(aliceSocket.sent())
        .containsExactly(
            "{\"type\":\"OPEN\"}", "{\"type\":\"EXPIRE\",\"src\":\"carol\",\"dst\":\"alice\"}");
    FakeConnection carolSocket = new FakeConnection("127.0.0.3");
    connect("carol", carolSocket);
    assertThat(carolSocket.sent()).hasSize(3); // OPEN and the two that fitted
    assertThat(carolSocket.sent().get(1)).contains("\"i\":0").contains("\"src\":\"alice\"");
  }

  @Test
  void theClosingOfAReplacedSocketDoesNotRemoveItsSuccessor() {
    FakeConnection first = new FakeConnection("127.0.0.1");
    Endpoint old = connect("alice", first);
    FakeConnection second = new FakeConnection("127.0.0.1");
    connect("alice", second);

    old.onClosed();

    assertThat(first.closeCode()).isEqualTo(1000);
    assertThat(second.sent()).containsExactly("{\"type\":\"OPEN\"}");
    assertThat(realm.ids()).containsExactly("alice");
  }

  @Test
  void everyConnectionIsCountedAgainstItsAddressAndReleasedOnClose() {
    AddressLimit one = new AddressLimit(1);
    try (PeerJsRealm strict =
        new PeerJsRealm(
            ServerConfig.defaults().peerJs().orElseThrow(), one, new Metrics(), 10, 10, timers)) {
      FakeConnection first = new FakeConnection("127.0.0.9");
      Endpoint endpoint =
          strict.connect(Map.of("key", "peerjs", "id", "a", "token", "t"), first).orElseThrow();
      FakeConnection second = new FakeConnection("127.0.0.9");
      assertThat(strict.connect(Map.of("key", "peerjs", "id", "b", "token", "t"), second))
          .isEmpty();
      assertThat(second.sent().get(0)).contains("Too many connections");

      endpoint.onClosed();
      assertThat(
              strict.connect(
                  Map.of("key", "peerjs", "id", "b", "token", "t"),
                  new FakeConnection("127.0.0.9")))
          .isPresent();
    }
  }

  /** A deployment whose claims are answered when the test says. */
  private static final class SlowCluster extends PeerJsCluster.Alone {
    final CompletableFuture<Claim> answer = new CompletableFuture<>();

    @Override
    public CompletionStage<Claim> claim(String id, String token) {
      return answer;
    }
  }

  /** A realm that is one node of a deployment, the rest of it being {@code cluster}. */
  private PeerJsRealm nodeOf(PeerJsCluster cluster) {
    return new PeerJsRealm(
        ServerConfig.defaults().peerJs().orElseThrow(),
        addressLimit,
        new Metrics(),
        10,
        10,
        timers,
        cluster);
  }

  @Test
  void aMessageFromAnotherNodeThatComesBeforeTheClaimIsAnsweredWaitsForOpen() {
    SlowCluster cluster = new SlowCluster();
    try (PeerJsRealm node = nodeOf(cluster)) {
      FakeConnection carol = new FakeConnection("127.0.0.3");
      assertThat(node.connect(Map.of("key", "peerjs", "id", "carol", "token", "t"), carol))
          .isPresent();

      node.deliverHere("carol", "{\"type\":\"OFFER\",\"src\":\"alice\"}".getBytes(UTF_8));
      assertThat(carol.sent()).isEmpty();

      cluster.answer.complete(PeerJsCluster.Claim.FREE);
      assertThat(carol.sent())
          .containsExactly("{\"type\":\"OPEN\"}", "{\"type\":\"OFFER\",\"src\":\"alice\"}");
    }
  }

  @Test
  void anIdTakenOnAnotherNodeIsRefusedOnceTheClaimSaysSo() {
    SlowCluster cluster = new SlowCluster();
    try (PeerJsRealm node = nodeOf(cluster)) {
      FakeConnection thief = new FakeConnection("127.0.0.3");
      assertThat(node.connect(Map.of("key", "peerjs", "id", "alice", "token", "x"), thief))
          .isPresent(); // its endpoint, until the claim is answered

      cluster.answer.complete(PeerJsCluster.Claim.TAKEN);

      assertThat(thief.sent()).singleElement().asString().contains("ID-TAKEN");
      assertThat(thief.closeCode()).isEqualTo(1008);
      assertThat(node.ids()).isEmpty();
    }
  }
}
