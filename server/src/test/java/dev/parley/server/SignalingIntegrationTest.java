package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Json;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.SignalKind;
import dev.parley.protocol.UserName;
import dev.parley.testkit.TestClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SignalingIntegrationTest {
  private static final String SDP =
      "{\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\",\"fingerprintSignature\":\"abc\"}";

  @TempDir Path data;
  private TestServer server;
  private TestClient alice;
  private TestClient bob;

  @BeforeEach
  void start() {
    server = TestServer.start(data);
    alice = server.login("alice");
    bob = server.login("bob");
  }

  @AfterEach
  void stop() {
    alice.close();
    bob.close();
    server.close();
  }

  @Test
  void aRelayedOfferArrivesWithTheSendersNameAndDataUntouched() {
    alice.send(new ClientMessage.Signal(SignalKind.OFFER, new UserName("bob"), Json.parse(SDP)));

    ServerMessage.Signal offer = bob.await(ServerMessage.Signal.class);
    assertThat(offer.kind()).isEqualTo(SignalKind.OFFER);
    assertThat(offer.from().value()).isEqualTo("alice");
    assertThat(offer.data()).isEqualTo(Json.parse(SDP));
  }

  @Test
  void theSenderCannotForgeWhoItIsFrom() {
    alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"from\":\"carol\",\"data\":{\"sdp\":\"x\"}}");

    assertThat(bob.await(ServerMessage.Signal.class).from().value()).isEqualTo("alice");
  }

  @Test
  void answerCandidateAndHangUpAreRelayedInOrder() {
    alice.send(new ClientMessage.Signal(SignalKind.OFFER, new UserName("bob"), Json.parse(SDP)));
    bob.await(ServerMessage.Signal.class);
    bob.send(new ClientMessage.Signal(SignalKind.ANSWER, new UserName("alice"), Json.parse(SDP)));
    for (int i = 0; i < 5; i++) {
      bob.send(
          new ClientMessage.Signal(
              SignalKind.CANDIDATE,
              new UserName("ALICE"),
              Json.parse("{\"candidate\":\"candidate:" + i + "\",\"sdpMid\":\"0\"}")));
    }
    bob.send(new ClientMessage.Signal(SignalKind.HANGUP, new UserName("alice"), Json.parse("{}")));

    assertThat(alice.await(ServerMessage.Signal.class).kind()).isEqualTo(SignalKind.ANSWER);
    for (int i = 0; i < 5; i++) {
      ServerMessage.Signal candidate = alice.await(ServerMessage.Signal.class);
      assertThat(candidate.kind()).isEqualTo(SignalKind.CANDIDATE);
      assertThat(candidate.data().get("candidate").asText()).isEqualTo("candidate:" + i);
    }
    assertThat(alice.await(ServerMessage.Signal.class).kind()).isEqualTo(SignalKind.HANGUP);
    assertThat(server.server().metrics().relayedTotal()).isEqualTo(8);
  }

  @Test
  void signalingOneselfIsRefused() {
    alice.send("{\"type\":\"offer\",\"to\":\"Alice\",\"data\":{},\"ref\":\"r1\"}");

    ServerMessage.Error error = alice.awaitError(ErrorCode.INVALID_TARGET);
    assertThat(error.ref()).isEqualTo("r1");
  }

  @Test
  void signalingAnUnknownNameIsRefused() {
    alice.send("{\"type\":\"offer\",\"to\":\"nobody\",\"data\":{},\"ref\":\"r2\"}");

    ServerMessage.Error error = alice.awaitError(ErrorCode.UNKNOWN_USER);
    assertThat(error.ref()).isEqualTo("r2");
    assertThat(error.message()).contains("nobody");
  }

  @Test
  void signalingSomeoneRegisteredButOfflineIsRefused() {
    server.login("carol").close();
    await().until(() -> server.server().onlineCount() == 2);

    alice.send("{\"type\":\"offer\",\"to\":\"carol\",\"data\":{},\"ref\":\"r3\"}");

    ServerMessage.Error error = alice.awaitError(ErrorCode.USER_OFFLINE);
    assertThat(error.ref()).isEqualTo("r3");
    assertThat(server.server().metrics().relayedTotal()).isZero();
  }
}
