package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.peerjs.PeerJsConfig;
import dev.parley.testkit.RawWebSocket;
import dev.parley.testkit.TextSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The PeerServer protocol, rule by rule, against the real server and real WebSocket clients. */
@Timeout(60)
class PeerJsIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  private TestServer server;
  private final List<TextSocket> sockets = new ArrayList<>();

  @BeforeEach
  void start() {
    server =
        startWith(
            new PeerJsConfig(
                "/peerjs",
                "peerjs",
                Duration.ofMillis(600),
                Duration.ofSeconds(30),
                5,
                false,
                100));
  }

  /** A server whose PeerJS clients must show life every 900 ms. */
  private void restartWithShortAliveTimeout() {
    server.close();
    server =
        startWith(
            new PeerJsConfig(
                "/peerjs", "peerjs", Duration.ofSeconds(5), Duration.ofMillis(900), 5, false, 100));
  }

  private TestServer startWith(PeerJsConfig config) {
    return TestServer.start(data, c -> c.withPeerJs(Optional.of(config)));
  }

  @AfterEach
  void stop() {
    sockets.forEach(TextSocket::close);
    server.close();
  }

  private TextSocket socket(String query) {
    TextSocket socket =
        TextSocket.open(URI.create("ws://127.0.0.1:" + server.port() + "/peerjs/peerjs?" + query));
    sockets.add(socket);
    return socket;
  }

  /** A client that got OPEN. */
  private TextSocket peer(String id) {
    TextSocket socket = socket("key=peerjs&id=" + id + "&token=t-" + id + "&version=1.5.5");
    assertThat(type(socket.next())).isEqualTo("OPEN");
    return socket;
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static String type(String text) {
    return json(text).get("type").asText();
  }

  private static String send(String type, String dst, String payload) {
    return "{\"type\":\"" + type + "\",\"dst\":\"" + dst + "\",\"payload\":" + payload + "}";
  }

  @Test
  void theMountPathAnswersWithTheBanner() {
    HttpResponse<String> banner = server.get("/peerjs");
    assertThat(banner.statusCode()).isEqualTo(200);
    assertThat(json(banner.body()).get("name").asText()).isEqualTo("PeerJS Server");
    assertThat(banner.headers().firstValue("access-control-allow-origin")).hasValue("*");
  }

  @Test
  void aFreshIdIsHandedOutUnderTheKeyAndOnlyThere() {
    HttpResponse<String> id = server.get("/peerjs/peerjs/id");
    assertThat(id.statusCode()).isEqualTo(200);
    assertThat(id.body()).matches("[0-9a-f-]{36}");
    assertThat(server.get("/peerjs/peerjs/id").body()).isNotEqualTo(id.body());
    assertThat(server.get("/peerjs/wrong/id").statusCode()).isEqualTo(401);
  }

  @Test
  void thePeerListIsRefusedUnlessDiscoveryIsAllowed() {
    assertThat(server.get("/peerjs/peerjs/peers").statusCode()).isEqualTo(401);

    server.close();
    server =
        startWith(
            new PeerJsConfig(
                "/peerjs", "peerjs", Duration.ofSeconds(5), Duration.ofSeconds(60), 5, true, 100));
    peer("alice");
    peer("bob");
    HttpResponse<String> peers = server.get("/peerjs/peerjs/peers");
    assertThat(peers.statusCode()).isEqualTo(200);
    assertThat(json(peers.body()))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("alice", "bob");
  }

  @Test
  void aCorsPreflightIsAnswered() {
    HttpResponse<String> preflight =
        server.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/peerjs/peerjs/id"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://127.0.0.1:9999")
                .header("Access-Control-Request-Method", "GET"));
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("*");
    assertThat(preflight.headers().firstValue("access-control-allow-methods").orElseThrow())
        .contains("GET");
  }

  @Test
  void missingParametersAWrongKeyOrABadIdGetAnErrorAndAClose() {
    for (String query : List.of("key=peerjs&token=t", "id=a&token=t", "key=peerjs&id=a", "")) {
      TextSocket socket = socket(query);
      JsonNode error = json(socket.next());
      assertThat(error.get("type").asText()).isEqualTo("ERROR");
      assertThat(error.at("/payload/msg").asText())
          .isEqualTo("No id, token, or key supplied to websocket server");
      assertThat(socket.awaitClose()).isEqualTo(1008);
    }
    TextSocket wrongKey = socket("key=nope&id=a&token=t");
    assertThat(json(wrongKey.next()).at("/payload/msg").asText()).isEqualTo("Invalid key provided");
    assertThat(wrongKey.awaitClose()).isEqualTo(1008);

    TextSocket badId = socket("key=peerjs&id=%3Cscript%3E&token=t");
    assertThat(json(badId.next()).at("/payload/msg").asText()).startsWith("Invalid id");
  }

  @Test
  void anIdInUseWithAnotherTokenIsTaken() {
    TextSocket alice = peer("alice");

    TextSocket thief = socket("key=peerjs&id=alice&token=other");
    JsonNode taken = json(thief.next());
    assertThat(taken.get("type").asText()).isEqualTo("ID-TAKEN");
    assertThat(taken.at("/payload/msg").asText()).isEqualTo("ID is taken");
    assertThat(thief.awaitClose()).isEqualTo(1008);
    assertThat(alice.isClosed()).isFalse();
  }

  @Test
  void theSameIdAndTokenReplaceTheOldSocketAndGetOpen() {
    TextSocket first = peer("alice");
    TextSocket bob = peer("bob");

    TextSocket second = socket("key=peerjs&id=alice&token=t-alice&version=1.5.5");

    assertThat(type(second.next())).isEqualTo("OPEN");
    assertThat(first.awaitClose()).isEqualTo(1000);
    bob.send(send("OFFER", "alice", "{\"sdp\":\"x\"}"));
    assertThat(json(second.next()).get("src").asText()).isEqualTo("bob");
  }

  @Test
  void messagesAreRelayedWithTheSenderStampedByTheServer() {
    TextSocket alice = peer("alice");
    TextSocket bob = peer("bob");

    alice.send(
        "{\"type\":\"OFFER\",\"src\":\"mallory\",\"extra\":1,\"dst\":\"bob\",\"payload\":"
            + "{\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\"},\"type\":\"data\",\"connectionId\":\"dc_1\"}}");

    JsonNode offer = json(bob.next());
    assertThat(offer.get("type").asText()).isEqualTo("OFFER");
    assertThat(offer.get("src").asText()).isEqualTo("alice");
    assertThat(offer.get("dst").asText()).isEqualTo("bob");
    assertThat(offer.at("/payload/sdp/sdp").asText()).isEqualTo("v=0");
    assertThat(offer.at("/payload/connectionId").asText()).isEqualTo("dc_1");
    assertThat(offer.has("extra")).as("fields beyond type, src, dst, payload").isFalse();
  }

  @Test
  void answerCandidateLeaveAndExpireAreRelayedButHeartbeatsAndUnknownTypesAreNot() {
    TextSocket alice = peer("alice");
    TextSocket bob = peer("bob");

    alice.send("{\"type\":\"HEARTBEAT\"}");
    alice.send(send("TELEPORT", "bob", "{}"));
    for (String type : List.of("ANSWER", "CANDIDATE", "LEAVE", "EXPIRE")) {
      alice.send(send(type, "bob", "{\"n\":\"" + type + "\"}"));
    }

    for (String type : List.of("ANSWER", "CANDIDATE", "LEAVE", "EXPIRE")) {
      JsonNode message = json(bob.next());
      assertThat(message.get("type").asText()).isEqualTo(type);
      assertThat(message.at("/payload/n").asText()).isEqualTo(type);
    }
    assertThat(bob.poll()).isNull();
    assertThat(alice.poll()).isNull();
  }

  @Test
  void aMessageForAPeerNotYetConnectedIsDeliveredWhenItConnects() {
    TextSocket alice = peer("alice");
    alice.send(send("OFFER", "carol", "{\"sdp\":\"early\"}"));
    await()
        .until(
            () -> server.server().metrics().prometheusText().contains("parley_peerjs_clients 1"));

    TextSocket carol = peer("carol");

    JsonNode offer = json(carol.next());
    assertThat(offer.get("src").asText()).isEqualTo("alice");
    assertThat(offer.at("/payload/sdp").asText()).isEqualTo("early");
  }

  @Test
  void messagesThatNobodyClaimsInTimeBecomeOneExpirePerSender() {
    TextSocket alice = peer("alice");
    TextSocket bob = peer("bob");
    alice.send(send("OFFER", "carol", "{}"));
    alice.send(send("CANDIDATE", "carol", "{}"));
    bob.send(send("OFFER", "carol", "{}"));

    for (TextSocket sender : List.of(alice, bob)) {
      JsonNode expire = json(sender.next());
      assertThat(expire.get("type").asText()).isEqualTo("EXPIRE");
      assertThat(expire.get("src").asText()).isEqualTo("carol");
    }
    assertThat(alice.poll()).isNull();
    // Carol, arriving late, gets nothing stale.
    TextSocket carol = peer("carol");
    alice.send(send("OFFER", "carol", "{\"fresh\":true}"));
    assertThat(json(carol.next()).at("/payload/fresh").asBoolean()).isTrue();
  }

  @Test
  void aSilentClientIsDroppedAfterTheAliveTimeout() throws Exception {
    restartWithShortAliveTimeout();
    try (RawWebSocket silent =
        RawWebSocket.connect(
            "127.0.0.1", server.port(), "/peerjs/peerjs?key=peerjs&id=quiet&token=t")) {
      assertThat(type(silent.readFrame().text())).isEqualTo("OPEN");
      assertThat(silent.serverClosed()).isTrue();
    }
    await()
        .until(
            () -> server.server().metrics().prometheusText().contains("parley_peerjs_clients 0"));
  }

  @Test
  void aClientSendingHeartbeatsStaysPastTheAliveTimeout() {
    restartWithShortAliveTimeout();
    TextSocket alive = peer("alive");
    TextSocket other = peer("other");
    // Like PeerJS's own heartbeat timer, but every 300 ms: nine ticks span three alive timeouts,
    // and each tick also relays a candidate, which the test waits for.
    java.util.concurrent.atomic.AtomicInteger tick =
        new java.util.concurrent.atomic.AtomicInteger();
    try (var heartbeats = java.util.concurrent.Executors.newSingleThreadScheduledExecutor()) {
      var unused =
          heartbeats.scheduleAtFixedRate(
              () -> {
                alive.send("{\"type\":\"HEARTBEAT\"}");
                other.send("{\"type\":\"HEARTBEAT\"}");
                other.send(send("CANDIDATE", "alive", "{\"i\":" + tick.getAndIncrement() + "}"));
              },
              0,
              300,
              java.util.concurrent.TimeUnit.MILLISECONDS);
      for (int i = 0; i < 9; i++) {
        assertThat(json(alive.next()).at("/payload/i").asInt()).isEqualTo(i);
      }
      heartbeats.shutdownNow();
    }
    assertThat(alive.isClosed()).isFalse();
  }

  @Test
  void badFramesGetAnErrorWithACodeAndHarmNobodyElse() {
    TextSocket alice = peer("alice");
    TextSocket bob = peer("bob");

    alice.send("{not json");
    JsonNode error = json(alice.next());
    assertThat(error.get("type").asText()).isEqualTo("ERROR");
    assertThat(error.at("/payload/code").asText()).isEqualTo("bad_json");
    alice.send("[1,2]");
    assertThat(json(alice.next()).at("/payload/code").asText()).isEqualTo("invalid_field");
    alice.sendBinary(new byte[] {1});
    assertThat(json(alice.next()).at("/payload/code").asText()).isEqualTo("binary_not_supported");

    bob.send(send("OFFER", "alice", "{}"));
    assertThat(json(alice.next()).get("src").asText()).isEqualTo("bob");
  }

  @Test
  void anOversizedFrameClosesOnlyItsSender() {
    TextSocket alice = peer("alice");
    TextSocket bob = peer("bob");

    alice.send(send("OFFER", "bob", "\"" + "x".repeat(70_000) + "\""));

    assertThat(json(alice.next()).at("/payload/code").asText()).isEqualTo("frame_too_large");
    assertThat(alice.awaitClose()).isEqualTo(1009);
    assertThat(bob.poll()).isNull();
    assertThat(bob.isClosed()).isFalse();
  }

  @Test
  void theConcurrentLimitIsEnforced() {
    for (int i = 0; i < 5; i++) {
      peer("p" + i);
    }
    TextSocket sixth = socket("key=peerjs&id=p5&token=t");
    assertThat(json(sixth.next()).at("/payload/msg").asText())
        .isEqualTo("Server has reached its concurrent user limit");
    assertThat(sixth.awaitClose()).isEqualTo(1013);
  }
}
