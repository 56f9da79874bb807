package dev.parley.server.peerjs;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Json;
import dev.parley.protocol.ProtocolException;
import dev.parley.server.connection.Endpoint;
import dev.parley.server.connection.FakeConnection;
import dev.parley.server.limits.AddressLimit;
import dev.parley.server.metrics.Metrics;
import dev.parley.testkit.Allocations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of what a PeerJS client sends (docs/fuzzing.md), as one text frame from
 * alice with bob connected too: it never throws, within a memory budget linear in the frame; every
 * frame anyone gets back is a JSON object with a string type, strictly readable; alice hears of a
 * bad frame as an ERROR with one of the protocol's codes; and bob gets exactly the messages alice
 * addressed to him, with her as the source and the payload she sent.
 */
@Timeout(10)
class PeerJsFramesFuzzTest {
  private static final Set<String> RELAYED =
      Set.of("OFFER", "ANSWER", "CANDIDATE", "LEAVE", "EXPIRE");
  private static final ScheduledExecutorService TIMERS =
      Executors.newSingleThreadScheduledExecutor();

  @AfterAll
  static void stop() {
    TIMERS.shutdownNow();
  }

  @FuzzTest
  void anyFrameIsRelayedAsSentOrAnsweredWithAnError(byte[] frame) {
    Sockets sockets = Allocations.bounded(frame.length, () -> aliceSends(frame));
    List<JsonNode> toAlice = read(sockets.alice().sent());
    List<JsonNode> toBob = read(sockets.bob().sent());
    JsonNode sent = parsed(frame);
    if (sent == null || !sent.isObject() || !sent.path("type").isTextual()) {
      assertThat(toAlice).hasSize(1);
      assertThat(toAlice.get(0).path("type").asText()).isEqualTo("ERROR");
      assertThat(ErrorCode.fromWireName(toAlice.get(0).path("payload").path("code").asText()))
          .isPresent();
      assertThat(toBob).isEmpty();
      return;
    }
    String type = sent.get("type").textValue();
    if (RELAYED.contains(type) && sent.path("dst").asText("").equals("bob")) {
      assertThat(toBob).hasSize(1);
      JsonNode relayed = toBob.get(0);
      assertThat(relayed.path("type").asText()).isEqualTo(type);
      assertThat(relayed.path("src").asText()).isEqualTo("alice");
      assertThat(relayed.get("payload")).isEqualTo(sent.get("payload"));
    } else {
      assertThat(toBob).isEmpty();
    }
    assertThat(toAlice).allMatch(message -> !message.path("type").asText().equals("ERROR"));
  }

  private record Sockets(FakeConnection alice, FakeConnection bob) {}

  /** A fresh realm with alice and bob, after alice sent {@code frame}; anew on every call. */
  private static Sockets aliceSends(byte[] frame) {
    Sockets sockets = new Sockets(new FakeConnection("127.0.0.1"), new FakeConnection("127.0.0.2"));
    try (PeerJsRealm realm =
        new PeerJsRealm(
            new PeerJsConfig(
                "/peerjs", "peerjs", Duration.ofHours(1), Duration.ofMinutes(1), 10, false, 100),
            new AddressLimit(10),
            new Metrics(),
            1e9,
            1_000_000_000,
            TIMERS)) {
      Endpoint alice = connect(realm, "alice", sockets.alice());
      connect(realm, "bob", sockets.bob());
      alice.onText(frame);
    }
    return sockets;
  }

  private static Endpoint connect(PeerJsRealm realm, String id, FakeConnection socket) {
    Endpoint endpoint =
        realm.connect(Map.of("key", "peerjs", "id", id, "token", "t-" + id), socket).orElseThrow();
    assertThat(socket.sent()).containsExactly("{\"type\":\"OPEN\"}");
    return endpoint;
  }

  /** What was sent after OPEN, each frame read as strictly as the server reads. */
  private static List<JsonNode> read(List<String> sent) {
    List<JsonNode> frames = sent.subList(1, sent.size()).stream().map(Json::parse).toList();
    assertThat(frames).allMatch(f -> f.isObject() && f.path("type").isTextual());
    return frames;
  }

  private static @Nullable JsonNode parsed(byte[] frame) {
    try {
      return Json.parse(frame);
    } catch (ProtocolException e) {
      return null;
    }
  }
}
